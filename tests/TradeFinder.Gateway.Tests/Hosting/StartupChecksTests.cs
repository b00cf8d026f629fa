using Microsoft.Extensions.Configuration;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Hosting;
using TradeFinder.Gateway.Modes;

namespace TradeFinder.Gateway.Tests.Hosting;

public sealed class StartupChecksTests
{
    private static readonly Uri Paper = new("http://127.0.0.1:5000/");

    private static StartupChecks Run(params (string Key, string Value)[] settings) => StartupChecks.Run(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    [Fact]
    public void UnknownMode_RefusesTheStart_NamingTheVariable()
    {
        var ex = Assert.Throws<GatewayStartupException>(() => Run(("TRADING_MODE", "production")));

        Assert.Contains("TRADING_MODE", ex.Message);
    }

    [Fact]
    public void InvalidSettings_NeededBeforeTheContainer_RefuseTheStart()
    {
        Assert.Throws<GatewayStartupException>(() => Run(("Gateway:BotsEndpoint", "everywhere")));
        Assert.Throws<GatewayStartupException>(() => Run(("Gateway:MaxBodyBytes", "10")));
        Assert.Throws<GatewayStartupException>(() => Run(("Gateway:Tls:ServerCertificatePath", "/tmp/server.crt")));
        Assert.Throws<GatewayStartupException>(() => Run(("Gateway:PaperWeightPerMinute", "0")));
    }

    [Fact]
    public void Testnet_GoesToTheOverrideWhenSet_AndPaperIsAlwaysServed()
    {
        var checks = Run(("TRADING_MODE", "testnet"), ("TRADEFINDER_UPSTREAM_OVERRIDE", "http://127.0.0.1:7000"));

        var (directory, restrictions) = checks.Upstreams(Paper);

        Assert.Equal(TradingMode.Testnet, directory.GatewayMode);
        Assert.Equal(new Uri("http://127.0.0.1:7000/"), directory.Upstreams[TradingMode.Testnet]);
        Assert.Equal(Paper, directory.Upstreams[TradingMode.Paper]);
        Assert.Equal(new Uri("http://127.0.0.1:7000/"), restrictions[TradingMode.Testnet]);
        Assert.DoesNotContain(checks.Warnings, w => w.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Live_WithoutOverride_GoesToTheExchange()
    {
        var (directory, restrictions) = Run(("TRADING_MODE", "live"), ("DOTNET_EnableDiagnostics", "0")).Upstreams(Paper);

        Assert.Equal(ExchangeEndpoints.Production, directory.Upstreams[TradingMode.Live]);
        Assert.Equal(ExchangeEndpoints.ProductionSapi, restrictions[TradingMode.Live]);
    }

    [Fact]
    public void Live_RefusesTheEnvironmentOverride_EvenOnLoopback()
    {
        var ex = Assert.Throws<GatewayStartupException>(() =>
            Run(("TRADING_MODE", "live"), ("DOTNET_EnableDiagnostics", "0"), ("TRADEFINDER_UPSTREAM_OVERRIDE", "http://127.0.0.1:7000")));

        Assert.Contains("refused in live mode", ex.Message);
    }

    [Fact]
    public void Live_GoesToAnUpstreamGivenInCode_ByAnInProcessHost()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("TRADING_MODE", "live"), new("DOTNET_EnableDiagnostics", "0")]).Build();

        var (directory, _) = StartupChecks.Run(configuration, new Uri("http://127.0.0.1:7000")).Upstreams(Paper);

        Assert.Equal(new Uri("http://127.0.0.1:7000/"), directory.Upstreams[TradingMode.Live]);
        Assert.Throws<GatewayStartupException>(() => StartupChecks.Run(configuration, new Uri("https://10.0.0.1/")));
    }

    [Theory]
    [InlineData("DOTNET_DbgEnableMiniDump", "1")]
    [InlineData("COMPlus_DbgEnableMiniDump", "1")]
    [InlineData("COMPlus_EnableDiagnostics", "1")]
    [InlineData("DOTNET_DiagnosticPorts", "/tmp/port,nosuspend")]
    public void Live_RefusesToStart_WithDumpsOrADiagnosticsPort_InEitherSpelling(string variable, string value)
    {
        var ex = Assert.Throws<GatewayStartupException>(() =>
            Run(("TRADING_MODE", "live"), ("DOTNET_EnableDiagnostics", variable.EndsWith("EnableDiagnostics", StringComparison.Ordinal) ? "" : "0"), (variable, value)));

        Assert.Contains(variable.EndsWith("EnableDiagnostics", StringComparison.Ordinal) ? "diagnostics port is on" : variable, ex.Message);
        Assert.Contains("Gateway:AllowDiagnosticsInLive", ex.Message);
    }

    [Fact]
    public void Live_StartsWithDiagnosticsOff_OrWhenTheOperatorAllowsThem()
    {
        Assert.Equal(TradingMode.Live, Run(("TRADING_MODE", "live"), ("DOTNET_EnableDiagnostics", "0")).Mode);
        var allowed = Run(("TRADING_MODE", "live"), ("DOTNET_DbgEnableMiniDump", "1"), ("Gateway:AllowDiagnosticsInLive", "true"));
        Assert.Contains(allowed.Warnings, w => w.Contains("crash dumps", StringComparison.Ordinal));
    }

    [Fact]
    public void Paper_OnlyWarnsAboutDiagnostics()
    {
        var checks = Run(("DOTNET_EnableDiagnostics", "1"));

        Assert.Contains(checks.Warnings, w => w.Contains("diagnostics port is on", StringComparison.Ordinal));
    }

    [Fact]
    public void Paper_IgnoresTheOverride_AndSaysSo()
    {
        var checks = Run(("TRADEFINDER_UPSTREAM_OVERRIDE", "http://127.0.0.1:7000"));

        Assert.Equal([TradingMode.Paper], checks.Upstreams(Paper).Directory.Upstreams.Keys);
        Assert.Contains(checks.Warnings, w => w.Contains("ignored in paper mode", StringComparison.Ordinal));
    }
}
