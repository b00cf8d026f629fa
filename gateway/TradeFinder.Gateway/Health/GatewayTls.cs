using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TradeFinder.Gateway.Health;

/// <summary>The TLS material the bot listener serves with.</summary>
internal sealed record GatewayTls(X509Certificate2 Ca, X509Certificate2 ServerCertificate, bool ServerChainsToCa);
