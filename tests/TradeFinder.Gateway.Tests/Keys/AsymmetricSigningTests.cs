using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Signing;
using TradeFinder.PaperExchange.Security;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests.Keys;

/// <summary>
/// Ed25519 and RSA signatures checked by an independent implementation: the key pair is made by the
/// <c>openssl</c> command line at test time, our signature is verified by openssl, and openssl's own signature
/// over the same payload (both schemes are deterministic) must be byte-identical to ours.
/// </summary>
public sealed class AsymmetricSigningTests
{
    // The exchange's RSA example payload (Binance "SIGNED Endpoint Examples for POST /fapi/v1/order"); only the payload is reused, the key is generated here.
    private const string Payload = "timestamp=1671090801999&recvWindow=9999999&symbol=BTCUSDT&side=SELL&type=MARKET&quantity=1.23";

    [UnixTheory]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    public async Task Signature_IsVerifiedByOpenssl_AndEqualsOpensslsOwnSignature(string type)
    {
        using var dir = new ScopedTempDirectory("tf-sig");
        string P(string name) => Path.Combine(dir.Path, name);
        await OpensslAsync(type == "rsa"
            ? ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", P("key.pem")]
            : ["genpkey", "-algorithm", "ED25519", "-out", P("key.pem")]);
        await OpensslAsync("pkey", "-in", P("key.pem"), "-pubout", "-out", P("pub.pem"));
        await File.WriteAllTextAsync(P("payload"), Payload);
        using var key = Load(await File.ReadAllBytesAsync(P("key.pem")));

        Assert.True(key.TrySign(Encoding.UTF8.GetBytes(Payload), out var parameter));
        Assert.DoesNotContain('+', parameter);
        Assert.DoesNotContain('/', parameter);
        Assert.DoesNotContain('=', parameter);
        var signature = Convert.FromBase64String(Uri.UnescapeDataString(parameter));
        await File.WriteAllBytesAsync(P("sig.bin"), signature);

        var verified = type == "rsa"
            ? await OpensslAsync("dgst", "-sha256", "-verify", P("pub.pem"), "-signature", P("sig.bin"), P("payload"))
            : await OpensslAsync("pkeyutl", "-verify", "-pubin", "-inkey", P("pub.pem"), "-rawin", "-in", P("payload"), "-sigfile", P("sig.bin"));
        Assert.Contains("Verified", verified, StringComparison.OrdinalIgnoreCase);

        await (type == "rsa"
            ? OpensslAsync("dgst", "-sha256", "-sign", P("key.pem"), "-out", P("openssl.bin"), P("payload"))
            : OpensslAsync("pkeyutl", "-sign", "-inkey", P("key.pem"), "-rawin", "-in", P("payload"), "-out", P("openssl.bin")));
        Assert.Equal(await File.ReadAllBytesAsync(P("openssl.bin")), signature);

        await File.WriteAllTextAsync(P("payload"), Payload + "&tampered=1");
        await Assert.ThrowsAsync<InvalidOperationException>(() => type == "rsa"
            ? OpensslAsync("dgst", "-sha256", "-verify", P("pub.pem"), "-signature", P("sig.bin"), P("payload"))
            : OpensslAsync("pkeyutl", "-verify", "-pubin", "-inkey", P("pub.pem"), "-rawin", "-in", P("payload"), "-sigfile", P("sig.bin")));
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    [InlineData("hmac")]
    public void SignedRequest_IsAcceptedByTheSimulatorsVerifier(string type)
    {
        var testKey = TestKey.Of(type);
        using var key = KeyFactory.From(testKey);

        Assert.True(Gateway.Signing.RequestSigner.TryPrepare("symbol=BTCUSDT", "side=BUY&type=MARKET&quantity=0.01", Contracts.Exchange.SecurityType.Trade, key, 1_700_000_000_000, 5000, out var outgoing));

        Assert.True(SignatureVerifier.Verify(testKey.ToPaperCredential(), outgoing.Query, outgoing.Body));
        Assert.False(SignatureVerifier.Verify(testKey.ToPaperCredential(), outgoing.Query, outgoing.Body.Replace("0.01", "0.02", StringComparison.Ordinal)));
    }

    [Fact]
    public void RsaKey_SignsCorrectlyFromManyThreadsAtOnce()
    {
        var testKey = TestKey.Rsa();
        using var key = KeyFactory.From(testKey);
        using var verifier = RSA.Create();
        verifier.ImportFromPem(testKey.PublicKeyPem);
        var failures = 0;

        Parallel.For(0, 400, i =>
        {
            var payload = Encoding.UTF8.GetBytes("n=" + i);
            key.TrySign(payload, out var parameter);
            if (!verifier.VerifyData(payload, Convert.FromBase64String(Uri.UnescapeDataString(parameter!)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Pkcs1PrivateKey_IsRefusedWithoutQuotingIt()
    {
        using var rsa = RSA.Create(2048);
        var pkcs1 = rsa.ExportRSAPrivateKeyPem(); // generated here: the exchange accepts only PKCS#8

        var error = Assert.Throws<KeyMaterialException>(() => Load(Encoding.ASCII.GetBytes(pkcs1)));

        Assert.Contains("PKCS#8", error.Message);
        Assert.All(pkcs1.Split('\n').Where(l => l.Length > 20 && !l.StartsWith('-')), line => Assert.DoesNotContain(line, error.Message));
    }

    [Fact]
    public void NonPemPrivateKey_IsRefused()
    {
        var error = Assert.Throws<KeyMaterialException>(() => Load("not a pem at all"u8.ToArray()));

        Assert.Contains("not PEM", error.Message);
    }

    [Fact]
    public void ShortRsaKey_IsRefused()
    {
        using var rsa = RSA.Create(1024);

        var error = Assert.Throws<KeyMaterialException>(() => Load(Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem())));

        Assert.Contains("2048", error.Message);
    }

    [Theory]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    [InlineData("hmac")]
    public void RetiredKey_RefusesToSign_SoTheCallerResolvesTheNewKey(string type)
    {
        var key = KeyFactory.From(TestKey.Of(type));
        Assert.True(key.TrySign("a=1"u8, out _));

        key.Retire();

        Assert.True(key.IsRetired);
        Assert.False(key.TrySign("a=1"u8, out var signature));
        Assert.Null(signature);
    }

    private static ExchangeKey Load(byte[] pem)
    {
        using var material = new KeyMaterial("APIkey" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), pem, isPrivateKeyPem: true, "v1");
        return ExchangeKey.Create(KeySet.DefaultFor(TradingMode.Testnet), material, KeyFactory.TestnetHost, DateTimeOffset.UnixEpoch);
    }

    private static async Task<string> OpensslAsync(params string[] args)
    {
        var start = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? output + error : throw new InvalidOperationException($"openssl {args[0]} exited {process.ExitCode}: {error}");
    }
}
