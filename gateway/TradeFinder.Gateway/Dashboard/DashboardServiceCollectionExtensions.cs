namespace TradeFinder.Gateway.Dashboard;

internal static class DashboardServiceCollectionExtensions
{
    /// <summary>The live page on the ops port and what it keeps beyond other capabilities' state (recent refusals).</summary>
    public static IServiceCollection AddGatewayDashboard(this IServiceCollection services)
    {
        services.AddSingleton<RecentRefusals>();
        services.AddHostedService(sp => sp.GetRequiredService<RecentRefusals>());
        return services;
    }
}
