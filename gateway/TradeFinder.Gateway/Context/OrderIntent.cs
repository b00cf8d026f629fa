namespace TradeFinder.Gateway.Context;

/// <summary>What a request would do to risk: cancel, reduce, add, or change account settings.</summary>
internal enum OrderIntent
{
    Read,
    Cancel,
    Reduce,
    Increase,
    AccountChange,
}
