using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Cli;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Cli;

/// <summary>The ops verbs that work on the data dir alone, without a running gateway.</summary>
public sealed class GatewayCliTests : IDisposable
{
    private readonly string _dataDir = TempDirectory.Create("tf-cli");

    public void Dispose() => TempDirectory.Delete(_dataDir);

    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TRADEFINDER_DATA"] = _dataDir,
            ["Gateway:OpsEndpoint"] = "127.0.0.1:" + TestPorts.Next(),
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await GatewayCli.RunAsync(args, configuration, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task CertsIssue_RegistersTheBotWithItsModeAndScopes()
    {
        var (code, output, _) = await RunAsync("certs", "issue", "--bot", "alpha", "--mode", "testnet", "--scopes", "market:read,trade");

        Assert.Equal(0, code);
        Assert.Contains("alpha", output);
        var bot = new BotRegistry(new GatewayPaths(_dataDir)).FindByName("alpha")!;
        Assert.Equal(Contracts.Modes.TradingMode.Testnet, bot.Mode);
        Assert.Equal(["market:read", "trade"], bot.Scopes);
        Assert.DoesNotContain("PRIVATE KEY", output);
    }

    [Fact]
    public async Task CertsIssue_WithOut_WritesWhatTheBotNeeds_AndNotTheCaKey()
    {
        var bundle = Path.Combine(_dataDir, "bundle");

        var (code, output, _) = await RunAsync("certs", "issue", "--bot", "alpha", "--out", bundle);

        Assert.Equal(0, code);
        Assert.Equal(["alpha.crt", "alpha.key", "ca.crt"], Directory.GetFiles(bundle).Select(Path.GetFileName).Order());
        Assert.Equal(File.ReadAllText(Path.Combine(_dataDir, "certs", "ca.crt")), File.ReadAllText(Path.Combine(bundle, "ca.crt")));
        using var certificate = Gateway.Certificates.Pem.LoadWithKey(Path.Combine(bundle, "alpha.crt"), Path.Combine(bundle, "alpha.key"));
        Assert.Equal(new BotRegistry(new GatewayPaths(_dataDir)).FindByName("alpha")!.CertificateSha256, BotRegistry.Thumbprint(certificate));
        Assert.Contains("bundle:", output);
    }

    [Fact]
    public async Task Health_WithNoGatewayRunning_Fails()
    {
        var (code, output, _) = await RunAsync("health");

        Assert.Equal(1, code);
        Assert.Contains("no answer", output);
    }

    [Fact]
    public async Task UnknownScope_FailsWithTheKnownOnes_AndRegistersNothing()
    {
        var (code, _, error) = await RunAsync("certs", "issue", "--bot", "alpha", "--scopes", "withdraw");

        Assert.Equal(1, code);
        Assert.Contains("unknown scope 'withdraw'", error);
        Assert.Contains("market:read", error);
        Assert.Null(new BotRegistry(new GatewayPaths(_dataDir)).FindByName("alpha"));
    }

    [Fact]
    public async Task RevokingAnUnknownBot_FailsAndSaysWhereItLooked()
    {
        var (code, _, error) = await RunAsync("certs", "revoke", "ghost");

        Assert.Equal(1, code);
        Assert.Contains("ghost", error);
        Assert.Contains("bots.json", error);
    }

    [Fact]
    public async Task RevokeAdmin_MarksTheAdminRevoked_AndAnUnknownAdminFails()
    {
        Assert.Equal(0, (await RunAsync("certs", "issue", "--admin", "ops")).Code);

        var (code, output, _) = await RunAsync("certs", "revoke", "--admin", "ops");
        var (unknown, _, error) = await RunAsync("certs", "revoke", "--admin", "ghost");

        Assert.Equal(0, code);
        Assert.Contains("Revoked admin 'ops'", output);
        Assert.Equal(1, unknown);
        Assert.Contains("admins.json", error);
        Assert.Null(new BotRegistry(new GatewayPaths(_dataDir).AdminRegistryFile).FindByName("ghost"));
        Assert.Equal(BotStatus.Revoked, new BotRegistry(new GatewayPaths(_dataDir).AdminRegistryFile).FindByName("ops")!.Status);
    }

    [Fact]
    public async Task UnknownVerbShape_PrintsUsage_AndFails()
    {
        var (code, _, error) = await RunAsync("certs", "frobnicate");

        Assert.NotEqual(0, code);
        Assert.Contains("certs issue", error);
    }

    [Fact]
    public async Task InvalidAuditSettings_AreASettingsError_NotACrash()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TRADEFINDER_DATA"] = _dataDir,
            ["Gateway:Audit:Store"] = "mongodb",
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = await GatewayCli.RunAsync(["audit", "verify"], configuration, output, error);

        Assert.Equal(GatewayStartupException.ExitCode, code);
        Assert.Contains("Gateway:Audit:Store", error.ToString());
    }
}
