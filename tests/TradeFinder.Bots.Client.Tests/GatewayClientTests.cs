using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Bots.Client.Tests;

/// <summary>The keyless client against a real gateway over mTLS, configured the way a bot configures it.</summary>
public sealed class GatewayClientTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        await _host.IssueBotAsync("alpha");
        _services = BuildServices("alpha");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _host.DisposeAsync();
    }

    private ServiceProvider BuildServices(string bot, string? overrideCertPath = null) => BotServices.For(_host, bot, overrideCertPath);

    [Fact]
    public async Task Ping_ThroughTheGateway_Succeeds()
    {
        await _services.GetRequiredService<IGatewayClient>().PingAsync();

        Assert.Contains(_host.PaperJournal.Entries, e => e.Path == "/fapi/v1/ping");
    }

    [Fact]
    public async Task GetServerTime_ReturnsTheSimulatorClock()
    {
        var time = await _services.GetRequiredService<IGatewayClient>().GetServerTimeAsync();

        Assert.InRange(time.Time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task GetAccount_ReturnsDecimalBalances_SignedByTheGateway()
    {
        var account = await _services.GetRequiredService<IGatewayClient>().GetAccountAsync();

        Assert.True(account.CanTrade);
        Assert.Equal(10_000m, account.TotalWalletBalance);
        Assert.Equal(10_000m, Assert.Single(account.Assets, a => a.Asset == "USDT").WalletBalance);
    }

    [Fact]
    public async Task GetAccount_AfterRevocation_ThrowsTypedExceptionWithExchangeCode()
    {
        await _host.CliAsync("certs", "revoke", "alpha");

        var error = await Assert.ThrowsAsync<GatewayForbiddenException>(() => _services.GetRequiredService<IGatewayClient>().GetAccountAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(ExchangeErrorCodes.Unauthorized, error.Code);
        Assert.Contains("REVOKED", error.ExchangeMessage);
    }

    [Fact]
    public void AddTradeFinderGateway_WithoutClientCertificate_FailsValidation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TradeFinderGateway:CaCertificatePath"] = _host.CaCertificatePath,
        }).Build();
        var services = new ServiceCollection();
        services.AddTradeFinderGateway(configuration);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<GatewayClientOptions>>().Value);

        Assert.Contains("CertificatePath", error.Message);
    }

    [Fact]
    public void ClientOptions_HaveNoPlaceForExchangeKeys()
    {
        var names = typeof(GatewayClientOptions).GetProperties().Select(p => p.Name.ToUpperInvariant());

        Assert.DoesNotContain(names, n => n.Contains("APIKEY") || n.Contains("SECRET"));
    }
}
