namespace TradeFinder.Testing;

/// <summary>
/// The replicas of one test and what they stand on (the simulator, Redis, PostgreSQL, a key directory they share as
/// they would share Vault), stopped together: replicas first, then the rest in the reverse order of starting.
/// </summary>
public sealed class ReplicaGroup : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly ScopedTempDirectory _keys = new("tf-keys");

    /// <summary>The key source every replica reads (<c>Gateway:Keys:Provider=files</c>).</summary>
    public string KeysDir => _keys.Path;

    public List<GatewayReplica> Replicas { get; } = [];

    /// <summary>Every replica's output so far, for a failure's message.</summary>
    public string Logs() => string.Join(Environment.NewLine, Replicas.Select((r, i) => $"--- replica {i}:{Environment.NewLine}{r.Output}"));

    /// <summary>Keeps what <paramref name="starting"/> starts, to stop it with the group.</summary>
    public async Task<T> OwnAsync<T>(Task<T> starting)
        where T : IAsyncDisposable
    {
        var started = await starting.ConfigureAwait(false);
        _owned.Add(started);
        return started;
    }

    /// <summary>
    /// The usual cluster: a throw-away PostgreSQL, the simulator accepting <paramref name="keys"/>, the first of them in
    /// the shared key directory, and <paramref name="count"/> replicas on all of it; <paramref name="configure"/> adds to
    /// their settings. Returns the simulator.
    /// </summary>
    public async Task<PaperExchange.Hosting.PaperExchangeServer> StartOnSharedStateAsync(int count, IReadOnlyList<TestKey> keys, Action<Dictionary<string, string?>> configure)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(configure);
        keys[0].WriteTo(KeysDir, "testnet");
        var postgres = await OwnAsync(PostgresServer.ForTestsAsync()).ConfigureAwait(false);
        var exchange = await OwnAsync(TestExchange.StartAsync([.. keys.Select(k => k.ToPaperCredential())])).ConfigureAwait(false);
        var settings = TestExchange.FileKeySettings(KeysDir, exchange); // one key source for all, as Vault would be
        settings["Gateway:Cluster:Postgres"] = await postgres.CreateDatabaseAsync().ConfigureAwait(false);
        configure(settings);
        await StartAsync(count, settings).ConfigureAwait(false);
        return exchange;
    }

    /// <summary>Starts <paramref name="count"/> more replicas; the group's first makes the CA, the others share it.</summary>
    public async Task StartAsync(int count, IDictionary<string, string?> settings)
    {
        if (Replicas.Count == 0)
        {
            Replicas.Add(await GatewayReplica.StartAsync(settings).ConfigureAwait(false));
            count--;
        }

        Replicas.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(_ => GatewayReplica.StartAsync(settings, Replicas[0]))).ConfigureAwait(false));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync().ConfigureAwait(false);
        }

        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync().ConfigureAwait(false);
        }

        _keys.Dispose();
    }
}
