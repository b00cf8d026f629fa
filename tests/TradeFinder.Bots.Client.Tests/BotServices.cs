using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TradeFinder.Testing;

namespace TradeFinder.Bots.Client.Tests;

/// <summary>The client registered the way a bot registers it, with a certificate issued by the test gateway.</summary>
internal static class BotServices
{
    public static ServiceProvider For(GatewayTestHost host, string bot, string? certificatePath = null)
    {
        var dir = Path.Combine(host.DataDir, "certs", "bots", bot);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TradeFinderGateway:BaseAddress"] = host.BotsAddress.ToString(),
            ["TradeFinderGateway:CaCertificatePath"] = host.CaCertificatePath,
            ["TradeFinderGateway:CertificatePath"] = certificatePath ?? Path.Combine(dir, bot + ".crt"),
            ["TradeFinderGateway:KeyPath"] = Path.Combine(dir, bot + ".key"),
        }).Build();
        var services = new ServiceCollection();
        services.AddTradeFinderGateway(configuration);
        return services.BuildServiceProvider(validateScopes: true);
    }
}
