namespace TradeFinder.Gateway.Identity;

/// <summary>ACTIVE trades; REDUCING lets only risk-reducing orders and cancels through; HALTED only cancels.</summary>
internal enum TradingState
{
    Active,
    Reducing,
    Halted,
}
