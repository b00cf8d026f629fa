namespace TradeFinder.Gateway.Validation;

/// <summary>A validation failure in the exchange's terms.</summary>
internal sealed record ValidationFailure(int Code, string Message);
