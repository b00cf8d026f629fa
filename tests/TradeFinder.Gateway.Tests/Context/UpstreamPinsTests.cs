using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Tests.Context;

public sealed class UpstreamPinsTests : IDisposable
{
    private readonly X509Certificate2 _root;
    private readonly X509Certificate2 _leaf;
    private readonly X509Certificate2 _impostor;

    public UpstreamPinsTests()
    {
        _root = SelfSigned("CN=Exchange Root", out var rootKey);
        _leaf = Issue(_root, rootKey, "CN=fapi.binance.com");
        _impostor = SelfSigned("CN=Inspecting Proxy Root", out _);
        rootKey.Dispose();
    }

    public void Dispose()
    {
        _root.Dispose();
        _leaf.Dispose();
        _impostor.Dispose();
    }

    private static X509Certificate2 SelfSigned(string name, out ECDsa key)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 issuer, ECDsa issuerKey, string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(name, key, HashAlgorithmName.SHA256);
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3, 4]);
    }

    private X509Chain ChainOf(X509Certificate2 leaf, X509Certificate2 trustedRoot)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trustedRoot);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(leaf));
        return chain;
    }

    [Fact]
    public void PinnedHost_MustShowAPinInItsValidatedChain_OtherHostsOnlyNeedNormalValidation()
    {
        using var chain = ChainOf(_leaf, _root);
        var pins = new Dictionary<string, IReadOnlySet<string>> { ["fapi.binance.com"] = new HashSet<string> { UpstreamPins.PinOf(_root) } };
        var wrongPins = new Dictionary<string, IReadOnlySet<string>> { ["fapi.binance.com"] = new HashSet<string> { UpstreamPins.PinOf(_impostor) } };

        Assert.True(UpstreamPins.Accept("fapi.binance.com", chain, SslPolicyErrors.None, pins));
        Assert.False(UpstreamPins.Accept("fapi.binance.com", chain, SslPolicyErrors.None, wrongPins));
        Assert.True(UpstreamPins.Accept("testnet.binancefuture.com", chain, SslPolicyErrors.None, wrongPins));

        // A pin never overrides a failed validation.
        Assert.False(UpstreamPins.Accept("fapi.binance.com", chain, SslPolicyErrors.RemoteCertificateChainErrors, pins));
        Assert.False(UpstreamPins.Accept("fapi.binance.com", null, SslPolicyErrors.None, pins));
    }

    [Fact]
    public void MalformedPins_StopTheStart_NamingTheHost()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Upstream:Pins:fapi.binance.com:0"] = "not-a-pin" }).Build();

        var error = Assert.Throws<GatewayStartupException>(() => UpstreamPins.Read(configuration));
        Assert.Contains("fapi.binance.com", error.Message);
    }

    [Fact]
    public void OutboundHandlers_CarryTheCheck_OnlyWhenAHostIsPinned()
    {
        var pinned = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Gateway:Upstream:Pins:fapi.binance.com:0"] = UpstreamPins.PinOf(_root) }).Build();
        using var withPins = OutboundHttp.CreateHandler(pinned);
        using var without = OutboundHttp.CreateHandler(new ConfigurationBuilder().Build());

        Assert.NotNull(withPins.SslOptions.RemoteCertificateValidationCallback);
        Assert.Null(without.SslOptions.RemoteCertificateValidationCallback);
    }
}
