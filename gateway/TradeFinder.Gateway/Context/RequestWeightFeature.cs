namespace TradeFinder.Gateway.Context;

/// <summary>The request's exchange weight, computed once by the budget step.</summary>
internal sealed record RequestWeightFeature(int Weight);
