using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Certificates;

public sealed class CertificateAuthorityTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-ca");

    public void Dispose() => TempDirectory.Delete(_dir);

    private CertificatePaths Paths => CertificatePaths.From(new GatewayPaths(_dir), new TlsOptions());

    [Fact]
    public void FirstStart_CreatesADevelopmentCa_AndAServerCertificateThatChainsToIt()
    {
        var tls = GatewayTls.Load(Paths, TimeProvider.System);

        Assert.True(tls.ServerChainsToCa);
        Assert.Contains("localhost", tls.ServerCertificate.GetNameInfo(X509NameType.DnsFromAlternativeName, false), StringComparison.Ordinal);
        Assert.True(File.Exists(Paths.CaKey));
        Assert.False(tls.Ca.HasPrivateKey); // the CA key was in memory only while the server certificate was issued

        // A second start reuses the same CA instead of minting a new one bots do not trust.
        Assert.Equal(tls.Ca.Thumbprint, GatewayTls.Load(Paths, TimeProvider.System).Ca.Thumbprint);
    }

    [Fact]
    public void ServerNames_GoIntoTheServerCertificate_AndANewNameReissuesIt()
    {
        using var ca = CertificateAuthority.LoadOrCreate(Paths, TimeProvider.System);
        using var plain = ca.LoadOrIssueServerCertificate();
        using var named = ca.LoadOrIssueServerCertificate(["gateway", "10.0.0.7"]);
        using var again = ca.LoadOrIssueServerCertificate(["gateway"]);

        Assert.False(plain.MatchesHostname("gateway"));
        Assert.True(named.MatchesHostname("gateway"));
        Assert.True(named.MatchesHostname("10.0.0.7"));
        Assert.True(named.MatchesHostname("localhost"));
        Assert.NotEqual(plain.Thumbprint, named.Thumbprint);
        Assert.Equal(named.Thumbprint, again.Thumbprint); // already carries the name: kept, not re-issued
    }

    [UnixFact]
    public void KeyFiles_AreOwnerOnly()
    {
        using var ca = CertificateAuthority.LoadOrCreate(Paths, TimeProvider.System);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Paths.CaKey));
    }

    [Theory]
    [InlineData("bot")]
    [InlineData("admin")]
    public void ClientCertificate_CarriesItsRole_AndIsAcceptedOnlyForIt(string roleName)
    {
        var role = roleName == "bot" ? ClientRole.Bot : ClientRole.Admin;
        using var ca = CertificateAuthority.LoadOrCreate(Paths, TimeProvider.System);
        var (certificate, key) = ca.IssueClient(role, "alpha");
        using (certificate)
        using (key)
        {
            var other = role == ClientRole.Bot ? ClientRole.Admin : ClientRole.Bot;
            Assert.Equal(role, ClientCertificateValidator.RoleOf(certificate));
            Assert.True(ClientCertificateValidator.IsAcceptable(certificate, ca.Certificate, role));
            Assert.False(ClientCertificateValidator.IsAcceptable(certificate, ca.Certificate, other));
        }
    }

    [Fact]
    public void OnlyTheServerCertificate_PassesTheClisServerCheck()
    {
        using var ca = CertificateAuthority.LoadOrCreate(Paths, TimeProvider.System);
        using var server = ca.LoadOrIssueServerCertificate();
        var (bot, botKey) = ca.IssueClient(ClientRole.Bot, "alpha");
        var (admin, adminKey) = ca.IssueClient(ClientRole.Admin, "ops");
        using (bot)
        using (botKey)
        using (admin)
        using (adminKey)
        {
            Assert.True(ClientCertificateValidator.IsServerCertificate(server));
            Assert.False(ClientCertificateValidator.IsServerCertificate(bot));
            Assert.False(ClientCertificateValidator.IsServerCertificate(admin));
        }
    }

    [Fact]
    public void OperatorCaThatDoesNotExist_RefusesTheStart_NamingTheSetting()
    {
        var paths = CertificatePaths.From(new GatewayPaths(_dir), new TlsOptions { CaCertificatePath = Path.Combine(_dir, "missing.crt"), CaKeyPath = Path.Combine(_dir, "missing.key") });

        var ex = Assert.Throws<GatewayStartupException>(() => CertificateAuthority.LoadOrCreate(paths, TimeProvider.System));

        Assert.Contains("Gateway:Tls:CaCertificatePath", ex.Message);
        Assert.False(File.Exists(paths.CaCertificate));
    }

    [Theory]
    [InlineData("server.crt", null, null, "must be set together")]
    [InlineData(null, null, "ca.crt", "set either the server certificate")]
    public void IncompleteOperatorTls_FailsValidation(string? serverCertificate, string? serverKey, string? caCertificate, string expected)
    {
        var result = new TlsOptionsValidator().Validate(null, new TlsOptions
        {
            ServerCertificatePath = serverCertificate, ServerKeyPath = serverKey, CaCertificatePath = caCertificate,
        });

        Assert.Contains(result.Failures!, f => f.Contains(expected, StringComparison.Ordinal));
    }
}
