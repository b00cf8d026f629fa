using System.Text;
using TradeFinder.Gateway.Keys;

namespace TradeFinder.Gateway.Tests.Keys;

public sealed class HmacSha256SignerTests
{
    [Theory]
    [MemberData(nameof(HmacVectors.Data), MemberType = typeof(HmacVectors))]
    public void SignHex_PublishedVector_ReproducesSignatureByteForByte(HmacVector vector)
    {
        var signature = HmacSha256Signer.SignHex(Encoding.UTF8.GetBytes(vector.Secret), Encoding.UTF8.GetBytes(vector.Query + vector.Body));

        Assert.Equal(vector.Signature, signature);
    }

    [Fact]
    public void SignHex_OneByteChangedInPayload_GivesDifferentSignature()
    {
        var vector = HmacVectors.All[0];
        var tampered = vector.Query.Replace("quantity=1", "quantity=2", StringComparison.Ordinal);

        var signature = HmacSha256Signer.SignHex(Encoding.UTF8.GetBytes(vector.Secret), Encoding.UTF8.GetBytes(tampered));

        Assert.NotEqual(vector.Signature, signature);
    }
}
