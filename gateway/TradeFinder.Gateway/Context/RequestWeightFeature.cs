using Microsoft.AspNetCore.Http.Features;
using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Context;

/// <summary>The request's exchange weight, computed once by the budget step.</summary>
internal sealed record RequestWeightFeature(int Weight);
