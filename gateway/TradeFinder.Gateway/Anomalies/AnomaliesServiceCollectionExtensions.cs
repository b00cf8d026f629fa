using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Anomalies;

internal static class AnomaliesServiceCollectionExtensions
{
    /// <summary>Anomaly detection: the monitor detectors report to, the refusal detector, alert delivery.</summary>
    public static IServiceCollection AddGatewayAnomalies(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AnomaliesOptions, AnomaliesOptionsValidator, AnomaliesOptionsCustomValidator>(o => o.Bind(configuration.GetSection(AnomaliesOptions.Section)));
        services.AddSingleton(sp => new AlertWebhook(OutboundHttp.CreateHandler(configuration), sp.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<AnomaliesOptions>>(),
            sp.GetRequiredService<Diagnostics.GatewayMetrics>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AlertWebhook>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AlertWebhook>());
        services.AddSingleton<AnomalySettings>();
        services.AddSingleton<AnomalyMonitor>();
        services.AddSingleton<QuantitativeRules>();
        services.AddHostedService(sp => sp.GetRequiredService<QuantitativeRules>());
        services.AddSingleton<OrderBehaviourDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderBehaviourDetector>());
        services.AddSingleton<CertificateDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<CertificateDetector>());
        services.AddSingleton<HoursDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<HoursDetector>());
        services.AddSingleton<SilenceDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<SilenceDetector>());
        services.AddSingleton<RequestRateDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<RequestRateDetector>());
        services.AddSingleton<PositionWatch>();
        services.AddHostedService(sp => sp.GetRequiredService<PositionWatch>());
        services.AddSingleton<RefusalDetector>();
        services.AddHostedService(sp => sp.GetRequiredService<RefusalDetector>());
        return services;
    }
}
