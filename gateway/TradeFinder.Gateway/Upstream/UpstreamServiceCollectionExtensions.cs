using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Upstream;

internal static class UpstreamServiceCollectionExtensions
{
    /// <summary>
    /// The gateway's own calls to the exchange: clock sync and exchangeInfo (both measured before the gateway
    /// serves), risk and order look-ups, key checks. The handler chain of the look-ups is the composition root's.
    /// </summary>
    public static IServiceCollection AddGatewayUpstream(this IServiceCollection services, IConfiguration configuration, KeyCheckHosts keyCheckHosts)
    {
        services.AddValidatedOptions<UpstreamOptions, UpstreamOptionsValidator>(o => o.Bind(configuration.GetSection(UpstreamOptions.Section)));
        services.AddValidatedOptions<ClockSyncOptions, ClockSyncOptionsValidator>(o => o.Bind(configuration.GetSection(ClockSyncOptions.Section)));
        services.AddHttpClient(UpstreamQueries.HttpClientName).ConfigureHttpClient((sp, c) => c.Timeout = Timeouts(sp).Query).LockedDown(configuration);
        services.AddHttpClient(ExchangeRules.HttpClientName).ConfigureHttpClient((sp, c) => c.Timeout = Timeouts(sp).Rules).LockedDown(configuration);
        services.AddHttpClient(ClockSyncService.HttpClientName).ConfigureHttpClient((sp, c) => c.Timeout = Timeouts(sp).Clock).LockedDown(configuration);
        services.AddHttpClient(KeyValidator.HttpClientName).ConfigureHttpClient((sp, c) => c.Timeout = Timeouts(sp).KeyCheck).LockedDown(configuration);
        services.AddSingleton<UpstreamQueries>();
        services.AddSingleton<ExchangeRules>();
        services.AddHostedService(sp => sp.GetRequiredService<ExchangeRules>());
        services.AddSingleton<ClockSyncService>();
        services.AddHostedService(sp => sp.GetRequiredService<ClockSyncService>());
        services.AddSingleton(keyCheckHosts);
        services.AddSingleton<IKeyValidator, KeyValidator>();
        return services;
    }

    private static (TimeSpan Query, TimeSpan Rules, TimeSpan Clock, TimeSpan KeyCheck) Timeouts(IServiceProvider services)
    {
        var o = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<UpstreamOptions>>().Value;
        return (TimeSpan.FromSeconds(o.QueryTimeoutSeconds), TimeSpan.FromSeconds(o.RulesTimeoutSeconds),
            TimeSpan.FromSeconds(o.ClockTimeoutSeconds), TimeSpan.FromSeconds(o.KeyCheckTimeoutSeconds));
    }
}
