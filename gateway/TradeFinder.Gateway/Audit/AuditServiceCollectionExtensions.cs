using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Audit;

internal static class AuditServiceCollectionExtensions
{
    /// <summary>Audit trail, store (SQLite in the data dir unless PostgreSQL is configured), spool and writer.</summary>
    public static AuditTrail AddGatewayAudit(this IServiceCollection services, IConfiguration configuration, GatewayPaths paths)
    {
        var options = configuration.GetSection(AuditOptions.Section).Get<AuditOptions>() ?? new AuditOptions();
        var validation = new AuditOptionsValidator().Validate(null, options);
        if (validation.Failed || (options.Store == "postgres" && string.IsNullOrWhiteSpace(options.ConnectionString)))
        {
            throw new GatewayStartupException("Invalid Gateway:Audit settings: " + (validation.Failed ? validation.FailureMessage
                : "Gateway:Audit:ConnectionString is required when Gateway:Audit:Store is postgres."));
        }

        var spool = new AuditSpool(paths.AuditSpool);
        var trail = new AuditTrail(options.QueueCapacity, spool);
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>());
        services.AddSingleton(spool);
        services.AddSingleton(trail);
        services.AddSingleton(CreateStore(options, paths));
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditWriter>());
        return trail;
    }

    public static IAuditStore CreateStore(AuditOptions options, GatewayPaths paths) => options.Store == "postgres"
        ? new PostgresAuditStore(options.ConnectionString!)
        : new SqliteAuditStore(paths.AuditDatabase);
}
