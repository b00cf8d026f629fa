using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>Audit trail, store (SQLite in the data dir unless PostgreSQL is configured), spool and writer.</summary>
    public static IServiceCollection AddGatewayAudit(this IServiceCollection services, IConfiguration configuration, GatewayPaths paths)
    {
        var options = BindOptions(configuration);
        services.AddValidatedOptions<AuditOptions, AuditOptionsValidator, AuditOptionsCustomValidator>(o => o.Bind(configuration.GetSection(AuditOptions.Section)));
        var key = AuditChainKey.LoadOrCreate(configuration, paths);
        services.AddSingleton(_ => key); // a factory, so the container wipes it with the gateway
        var spool = new AuditSpool(paths.AuditSpoolFile, key);
        services.AddSingleton(spool);
        services.AddSingleton(new AuditTrail(options.QueueCapacity, spool, options.GatheredBatch));
        services.AddSingleton(CreateStore(options, paths));
        if (CheckpointSink.TargetFrom(configuration) is { } sinkUrl)
        {
            services.AddSingleton(sp => new CheckpointSink(sinkUrl, OutboundHttp.CreateHandler(configuration), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<CheckpointSink>>()));
            services.AddHostedService(sp => sp.GetRequiredService<CheckpointSink>());
            services.AddSingleton(sp => AuditCheckpoints.For(configuration, paths, key, sp.GetRequiredService<CheckpointSink>()));
        }
        else
        {
            services.AddSingleton(AuditCheckpoints.For(configuration, paths, key));
        }

        services.AddSingleton<AuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        return services;
    }

    /// <summary>The store is opened before the container exists (the CLI uses it without one), so its settings are checked now.</summary>
    public static AuditOptions BindOptions(IConfiguration configuration) =>
        ValidatedOptions.BindNow(AuditOptions.Section, () => configuration.GetSection(AuditOptions.Section).Get<AuditOptions>(), new AuditOptionsValidator(), new AuditOptionsCustomValidator());

    public static IAuditStore CreateStore(AuditOptions options, GatewayPaths paths) => options.Store == AuditStoreKind.Postgres
        ? new PostgresAuditStore(options.ConnectionString!)
        : new SqliteAuditStore(paths.AuditDatabaseFile);
}
