namespace TradeFinder.Gateway.Admin;

/// <summary>The operator behind an admin request.</summary>
internal sealed record AdminIdentity(string Name);
