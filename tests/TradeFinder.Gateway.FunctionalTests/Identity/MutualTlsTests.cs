using System.Net;
using System.Net.Http.Json;
using System.Security.Authentication;
using TradeFinder.Contracts.Errors;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Identity;

public sealed class MutualTlsTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayTestHost _host;

    public MutualTlsTests(GatewayFixture gateway)
    {
        _host = gateway.Host;
        _host.PaperJournal.Clear();
    }

    [Fact]
    public async Task Request_WithoutClientCertificate_IsRefusedInTheHandshake_AndNothingReachesTheSimulator()
    {
        using var client = _host.CreateClient(clientCertificate: null);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)));

        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task Request_WithCertificateFromAnotherCa_IsRefused_AndNothingReachesTheSimulator()
    {
        using var foreign = TestCertificates.CreateForeignClientCertificate("alpha");
        using var client = _host.CreateClient(foreign);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("fapi/v2/account", UriKind.Relative)));

        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task Request_WithUnregisteredCertificateFromOurCa_Gets401Json_AndNothingReachesTheSimulator()
    {
        using var unregistered = _host.IssueUnregisteredCertificate("ghost");
        using var client = _host.CreateClient(unregistered);

        using var response = await client.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<ExchangeError>();
        Assert.Equal(ExchangeErrorCodes.Unauthorized, error!.Code);
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task BotIssuedWhileRunning_IsAcceptedWithoutRestart_AndRevokedBot_IsRefusedOnItsNextRequest()
    {
        using var certificate = await _host.IssueBotAsync("alpha");
        using var client = _host.CreateClient(certificate);

        using (var ok = await client.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var (code, output, _) = await _host.CliAsync("certs", "revoke", "alpha");
        Assert.Equal(0, code);
        Assert.Contains("Revoked bot 'alpha'", output);
        _host.PaperJournal.Clear();

        using var refused = await client.GetAsync(new Uri("fapi/v2/account", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("REVOKED", (await refused.Content.ReadFromJsonAsync<ExchangeError>())!.Message);
        Assert.Empty(_host.PaperJournal.Entries);
    }

    [Fact]
    public async Task ReissuedCertificate_ReplacesTheOldOne()
    {
        using var first = await _host.IssueBotAsync("beta");
        using var second = await _host.IssueBotAsync("beta");
        using var oldClient = _host.CreateClient(first);
        using var newClient = _host.CreateClient(second);

        using var refused = await oldClient.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));
        using var accepted = await newClient.GetAsync(new Uri("fapi/v1/time", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task ClientLimitedToTls12_IsRefused_WhenTls12IsNotEnabled()
    {
        using var certificate = await _host.IssueBotAsync("gamma");
        using var client = TestHttp.CreateMutualTlsClient(_host.BotsAddress,
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(_host.CaCertificatePath),
            certificate, SslProtocols.Tls12);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync(new Uri("fapi/v1/time", UriKind.Relative)));
    }

    [Fact]
    public async Task CertsIssue_WritesPemFilesOwnerOnly_AndRegistersTheBot()
    {
        var (code, output, _) = await _host.CliAsync("certs", "issue", "--bot", "delta");

        Assert.Equal(0, code);
        var dir = Path.Combine(_host.DataDir, "certs", "bots", "delta");
        foreach (var file in new[] { Path.Combine(dir, "delta.crt"), Path.Combine(dir, "delta.key"), _host.CaCertificatePath })
        {
            Assert.True(File.Exists(file), file);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        Assert.Contains("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(Path.Combine(dir, "delta.key")));
        Assert.DoesNotContain("BEGIN", output);
        Assert.Contains("\"name\": \"delta\"", await File.ReadAllTextAsync(Path.Combine(_host.DataDir, "registry", "bots.json")));
    }

    [Theory]
    [InlineData("Alpha")]
    [InlineData("../etc")]
    [InlineData("a b")]
    [InlineData("")]
    public async Task CertsIssue_InvalidName_FailsWithClearError(string name)
    {
        var (code, _, error) = await _host.CliAsync("certs", "issue", "--bot", name);

        Assert.NotEqual(0, code);
        Assert.Contains("not a valid name", error);
    }
}
