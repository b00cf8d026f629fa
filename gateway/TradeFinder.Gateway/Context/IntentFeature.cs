namespace TradeFinder.Gateway.Context;

internal sealed record IntentFeature(OrderIntent Intent);
