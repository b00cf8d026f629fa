using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Signing;

/// <summary>
/// What the signing step decided for a request: the exact query and body to send, and the key used (null for
/// public endpoints, which carry no key at all). <see cref="Resign"/> signs the same request again with a
/// fresh timestamp, for the one retry of an idempotent read after a -1021.
/// </summary>
internal sealed record SignedRequestFeature(OutgoingRequest Outgoing, ExchangeKey? Key, Func<(OutgoingRequest Outgoing, ExchangeKey? Key)>? Resign);
