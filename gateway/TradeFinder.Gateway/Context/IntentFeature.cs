using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Context;

internal sealed record IntentFeature(OrderIntent Intent);
