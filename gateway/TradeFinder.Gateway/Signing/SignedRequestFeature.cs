using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Signing;

/// <summary>What the signing step decided for a request: the exact query and body to send, and the key used.</summary>
internal sealed record SignedRequestFeature(OutgoingRequest Outgoing, ExchangeCredential Credential, bool SendApiKey);
