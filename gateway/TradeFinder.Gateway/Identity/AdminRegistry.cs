using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>Operators allowed on the admin port; same format, storage and hot reload as the bot registry.</summary>
internal sealed class AdminRegistry(RegistryStorage storage)
{
    private readonly BotRegistry _entries = new(storage);

    public AdminRegistry(GatewayPaths paths)
        : this(new FileRegistryStorage(paths.AdminRegistryFile))
    {
    }

    public string Location => _entries.Location;

    public BotRecord? FindByCertificate(X509Certificate2 certificate) => _entries.FindByCertificate(certificate);

    public void Upsert(BotRecord record) => _entries.Upsert(record);

    public bool SetStatus(string name, BotStatus status) => _entries.SetStatus(name, status);
}
