using TradeFinder.Contracts.Modes;

namespace TradeFinder.Gateway.Upstream;

/// <summary>Where each mode's key-restrictions check goes (the exchange's SAPI host; none for the futures testnet).</summary>
internal sealed record KeyCheckHosts(IReadOnlyDictionary<TradingMode, Uri?> Restrictions);
