namespace TradeFinder.Gateway.Dashboard;

internal static class DashboardServiceCollectionExtensions
{
    /// <summary>The live page on the ops port, what it keeps beyond other capabilities' state (recent refusals), and those facts on the meter.</summary>
    public static IServiceCollection AddGatewayDashboard(this IServiceCollection services)
    {
        services.AddSingleton<RecentRefusals>();
        services.AddHostedService(sp => sp.GetRequiredService<RecentRefusals>());
        services.AddHostedService<GatewayFacts>();
        return services;
    }
}
