using System.Net;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TradeFinder.PaperExchange.Security;
using static TradeFinder.PaperExchange.Tests.PaperHarness;

namespace TradeFinder.PaperExchange.Tests.Security;

/// <summary>Ed25519 and RSA keys (generated at test time) signing fapi REST requests; base64 then URL-encoded.</summary>
public sealed class AsymmetricKeyTests
{
    [Fact]
    public async Task Ed25519Key_SignedRequest_IsAccepted_AndTamperedOneRejected()
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(new SecureRandom()));
        var pair = generator.GenerateKeyPair();
        var spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        var pem = "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(spki) + "\n-----END PUBLIC KEY-----";
        string Sign(string payload)
        {
            var signer = new Ed25519Signer();
            signer.Init(true, (Ed25519PrivateKeyParameters)pair.Private);
            var bytes = Encoding.UTF8.GetBytes(payload);
            signer.BlockUpdate(bytes, 0, bytes.Length);
            return Convert.ToBase64String(signer.GenerateSignature());
        }

        await AssertRoundTripAsync(new PaperCredential("ed25519-key-0123456789abcdef0123456789", ReadOnlyMemory<byte>.Empty) { KeyType = PaperKeyType.Ed25519, PublicKeyPem = pem }, Sign);
    }

    [Fact]
    public async Task RsaKey_SignedRequest_IsAccepted_AndTamperedOneRejected()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportSubjectPublicKeyInfoPem();
        string Sign(string payload) => Convert.ToBase64String(rsa.SignData(Encoding.UTF8.GetBytes(payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        await AssertRoundTripAsync(new PaperCredential("rsa-key-0123456789abcdef0123456789abcd", ReadOnlyMemory<byte>.Empty) { KeyType = PaperKeyType.Rsa, PublicKeyPem = pem }, Sign);
    }

    [Fact]
    public async Task ApiRestrictions_ReportsTheKeysPermissions()
    {
        await using var paper = await StartAsync(s => s with
        {
            Credentials = [new PaperCredential(ApiKey, Encoding.UTF8.GetBytes(Secret)) { Restrictions = new ApiRestrictions { EnableWithdrawals = true, IpRestrict = false } }],
        });

        var restrictions = await paper.OkAsync(HttpMethod.Get, "sapi/v1/account/apiRestrictions");

        Assert.True(restrictions.GetProperty("enableWithdrawals").GetBoolean());
        Assert.False(restrictions.GetProperty("ipRestrict").GetBoolean());
        Assert.True(restrictions.GetProperty("enableFutures").GetBoolean());
    }

    private static async Task AssertRoundTripAsync(PaperCredential credential, Func<string, string> sign)
    {
        await using var paper = await StartAsync(s => s with { Credentials = [credential] });
        var payload = $"recvWindow=5000&timestamp={paper.NowMs}";
        var signature = Uri.EscapeDataString(sign(payload));

        async Task<HttpStatusCode> SendAsync(string query)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "fapi/v2/balance?" + query);
            request.Headers.Add("X-MBX-APIKEY", credential.ApiKey);
            using var response = await paper.Http.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(payload + "&signature=" + signature));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(payload.Replace("5000", "5001", StringComparison.Ordinal) + "&signature=" + signature));
    }
}
