using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using TradeFinder.Gateway.Audit;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Certificates;

/// <summary>Refused handshakes cannot flood the audit trail: aggregated per source and window, with bounded memory.</summary>
public sealed class HandshakeAuditorTests : IDisposable
{
    private readonly string _dir = TempDirectory.Create("tf-handshake");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly AuditTrail _trail;
    private readonly HandshakeAuditor _auditor;
    private readonly CertificateAuthority _ca;

    public HandshakeAuditorTests()
    {
        _trail = new AuditTrail(100_000, new AuditSpool(Path.Combine(_dir, "spool.jsonl"), new AuditChainKey(new byte[32])));
        var paths = CertificatePaths.From(new GatewayPaths(_dir), new TlsOptions());
        var tls = GatewayTls.Load(paths, TimeProvider.System);
        _ca = CertificateAuthority.LoadOrCreate(paths, TimeProvider.System);
        _auditor = new HandshakeAuditor(tls, _trail, _time);
    }

    public void Dispose()
    {
        _ca.Dispose();
        TempDirectory.Delete(_dir);
    }

    private List<AuditRecord> Written()
    {
        var records = new List<AuditRecord>();
        while (_trail.Reader.TryRead(out var pending))
        {
            records.Add(pending.Record);
        }

        return records;
    }

    [Fact]
    public void TenThousandRefusals_FromOneSource_AreOneRecord_ThenOneSummaryPerWindow()
    {
        using var foreign = TestCertificates.CreateForeignClientCertificate("mallory");

        for (var i = 0; i < 10_000; i++)
        {
            Assert.False(_auditor.Accept(foreign, Listener.Bots, ClientRole.Bot));
        }

        var first = Assert.Single(Written());
        Assert.Equal("(unverified)", first.Bot);
        Assert.Contains("\"claimedName\":\"mallory\"", first.Details);
        _time.Advance(HandshakeAuditor.Window);
        Assert.False(_auditor.Accept(foreign, Listener.Bots, ClientRole.Bot));
        var summary = Assert.Single(Written());
        using var details = JsonDocument.Parse(summary.Details!);
        Assert.Equal(9_999, details.RootElement.GetProperty("refusedBeforeInWindow").GetInt32());
        Assert.False(details.RootElement.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public void ManyDistinctSources_AreCappedAndTheRestCountedTogether()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        for (var i = 0; i < 1_500; i++)
        {
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN=bot{i}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
            using var foreign = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));
            _auditor.Accept(foreign, Listener.Bots, ClientRole.Bot);
        }

        var written = Written();
        Assert.InRange(written.Count, 1_024, 1_025);
    }

    [Fact]
    public void OurOwnBotCertificate_IsAccepted_AndNothingIsWritten()
    {
        var (certificate, key) = _ca.IssueClient(ClientRole.Bot, "alpha");
        using (certificate)
        using (key)
        {
            Assert.True(_auditor.Accept(certificate, Listener.Bots, ClientRole.Bot));
            Assert.False(_auditor.Accept(certificate, Listener.Admin, ClientRole.Admin));
        }

        Assert.Single(Written());
    }
}
