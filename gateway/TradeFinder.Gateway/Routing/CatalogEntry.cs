using TradeFinder.Contracts.Exchange;

namespace TradeFinder.Gateway.Routing;

/// <summary>One exchange endpoint the gateway serves: method, exact path, security type, base weight, scope.</summary>
internal sealed record CatalogEntry(string Method, string Path, SecurityType Security, int Weight, string Scope);
