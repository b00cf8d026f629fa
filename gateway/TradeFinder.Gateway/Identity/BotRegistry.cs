using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Identity;

/// <summary>
/// The bots allowed to connect, with their modes, scopes, limits and trading states, and the gateway-wide trading
/// state: on a single node in <c>&lt;data&gt;/registry/bots.json</c> (admins: <c>admins.json</c>), written atomically by
/// the CLI and re-read by the running gateway as soon as it changes; for replicas in the cluster's PostgreSQL, where a
/// change on one replica reaches the others by notification. Either way issuing, revoking or halting takes effect on
/// the next request without a restart.
/// </summary>
internal sealed class BotRegistry(RegistryStorage storage)
{
    private readonly Lock _gate = new();
    private Snapshot _snapshot = Snapshot.Empty;

    public BotRegistry(string path)
        : this(new FileRegistryStorage(path))
    {
    }

    public BotRegistry(GatewayPaths paths)
        : this(paths.BotRegistryFile)
    {
    }

    /// <summary>Where the registry is, for messages.</summary>
    public string Location => storage.Location;

    public BotRecord? FindByCertificate(X509Certificate2 certificate) => Lookup(certificate).Bot;

    /// <summary>The bot and the gateway-wide state from one snapshot (one file check per request).</summary>
    public (BotRecord? Bot, TradingState GlobalState) Lookup(X509Certificate2 certificate)
    {
        var thumbprint = CachedThumbprint(certificate);
        var snapshot = Current();
        if (!snapshot.ByThumbprint.ContainsKey(thumbprint))
        {
            // Not found: maybe issued a moment ago by another process (the CLI), which the throttled check has not seen yet.
            snapshot = Current(checkNow: true);
        }

        return (snapshot.ByThumbprint.GetValueOrDefault(thumbprint), snapshot.Document.GlobalState);
    }

    /// <summary>
    /// After <see cref="Lookup"/> found nothing: on a storage kept current by notification (replicas), reads the registry
    /// now and looks again, so that a bot registered elsewhere a moment ago is served; null when nothing was read.
    /// </summary>
    public async ValueTask<(BotRecord? Bot, TradingState GlobalState)?> LookupAgainAsync(X509Certificate2 certificate, CancellationToken cancellationToken) =>
        await storage.RefreshNowAsync(cancellationToken).ConfigureAwait(false) ? Lookup(certificate) : null;

    // A connection presents the same certificate object for every request on it: hash it once.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, string> Thumbprints = [];

    private static string CachedThumbprint(X509Certificate2 certificate) => Thumbprints.GetValue(certificate, Thumbprint);

    public BotRecord? FindByName(string name) => Current().Document.Bots.FirstOrDefault(b => b.Name == name);

    public IReadOnlyList<BotRecord> All() => Current().Document.Bots;

    /// <summary>Adds or replaces a bot (a re-issued certificate replaces the old one, which stops working).</summary>
    public void Upsert(BotRecord record) => Update(doc =>
    {
        doc.Bots.RemoveAll(b => b.Name == record.Name);
        doc.Bots.Add(record);
    });

    public TradingState GlobalState => Current().Document.GlobalState;

    public void SetGlobalState(TradingState state) => Update(doc => doc with { GlobalState = state });

    /// <summary>Applies a change to one bot; false when no such bot.</summary>
    public bool Change(string name, Func<BotRecord, BotRecord> change)
    {
        var found = false;
        Update(doc =>
        {
            var index = doc.Bots.FindIndex(b => b.Name == name);
            if (index >= 0)
            {
                doc.Bots[index] = change(doc.Bots[index]);
                found = true;
            }
        });
        return found;
    }

    public bool SetStatus(string name, BotStatus status)
    {
        var found = false;
        Update(doc =>
        {
            var index = doc.Bots.FindIndex(b => b.Name == name);
            if (index >= 0)
            {
                doc.Bots[index] = doc.Bots[index] with { Status = status };
                found = true;
            }
        });
        return found;
    }

    public static string Thumbprint(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(certificate.GetCertHash(System.Security.Cryptography.HashAlgorithmName.SHA256));

    private void Update(Func<BotRegistryDocument, BotRegistryDocument?> change)
    {
        lock (_gate)
        {
            storage.Update(json =>
            {
                var document = Parse(json);
                var copy = new BotRegistryDocument { Bots = [.. document.Bots], GlobalState = document.GlobalState };
                copy = change(copy) ?? copy;
                copy.Bots.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
                return JsonSerializer.Serialize(copy, IdentityJson.Default.BotRegistryDocument);
            });
            _snapshot = Snapshot.Empty;
        }
    }

    private void Update(Action<BotRegistryDocument> change) => Update(doc =>
    {
        change(doc);
        return null;
    });

    private Snapshot Current(bool checkNow = false)
    {
        var stamp = checkNow ? storage.FreshStamp : storage.Stamp;
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.Stamp == stamp)
        {
            return snapshot;
        }

        lock (_gate)
        {
            var (readAt, json) = storage.Read();
            var document = Parse(json);
            var fresh = new Snapshot(readAt, document, document.Bots.ToDictionary(b => b.CertificateSha256, StringComparer.OrdinalIgnoreCase));
            _snapshot = fresh;
            return fresh;
        }
    }

    // Generated JSON gives an init-only property the body leaves out its type's default, not its initializer: a
    // hand-written file without "bots" would read as a null list.
    private static BotRegistryDocument Parse(string? json) =>
        json is not null && JsonSerializer.Deserialize(json, IdentityJson.Default.BotRegistryDocument) is { } document
            ? document with { Bots = document.Bots ?? [] }
            : new BotRegistryDocument();

    private sealed record Snapshot((long Ticks, long Length) Stamp, BotRegistryDocument Document, Dictionary<string, BotRecord> ByThumbprint)
    {
        public static readonly Snapshot Empty = new((-1L, -1L), new BotRegistryDocument(), []);
    }
}
