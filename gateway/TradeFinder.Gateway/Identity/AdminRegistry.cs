using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>Operators allowed on the admin port; same file format and hot reload as the bot registry.</summary>
internal sealed class AdminRegistry(GatewayPaths paths)
{
    private readonly BotRegistry _entries = new(paths.AdminRegistryFile);

    public BotRecord? FindByCertificate(X509Certificate2 certificate) => _entries.FindByCertificate(certificate);

    public void Upsert(BotRecord record) => _entries.Upsert(record);

    public bool SetStatus(string name, BotStatus status) => _entries.SetStatus(name, status);
}
