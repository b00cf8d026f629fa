using System.Text;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.PaperExchange.Tests.Security;

public sealed class SignatureVerifierTests
{
    private static readonly byte[] FuturesSecret = Encoding.UTF8.GetBytes("2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9");

    [Fact]
    public void VerifyHmac_PublishedFuturesExampleInQuery_IsValid()
    {
        Assert.True(SignatureVerifier.VerifyHmac(FuturesSecret,
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9",
            ""));
    }

    [Fact]
    public void VerifyHmac_PublishedFuturesExampleInBody_IsValid()
    {
        Assert.True(SignatureVerifier.VerifyHmac(FuturesSecret, "",
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&recvWindow=5000&timestamp=1591702613943&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9"));
    }

    [Fact]
    public void VerifyHmac_MixedQueryAndBody_ConcatenatesWithoutSeparator()
    {
        Assert.True(SignatureVerifier.VerifyHmac(FuturesSecret,
            "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC",
            "quantity=1&price=9000&recvWindow=5000&timestamp=1591702613943&signature=30baaf0fab549bbeda7f5ef201898b34122da25fd23c646cac2c529aebe670a4"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("&signature=")]
    [InlineData("&signature=zz61234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9")]
    [InlineData("&signature=3c661234")]
    public void VerifyHmac_MissingOrMalformedSignature_IsInvalid(string signaturePart)
    {
        Assert.False(SignatureVerifier.VerifyHmac(FuturesSecret, "symbol=BTCUSDT&timestamp=1591702613943" + signaturePart, ""));
    }
}
