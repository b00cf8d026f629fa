using System.Text;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Signing;
using TradeFinder.Gateway.Tests.Keys;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.Gateway.Tests.Signing;

public sealed class RequestSignerTests
{
    private const string Secret = "2b5eb11e18796d12d88f13dc27dbbd02c2cc51ff7059765ed9821957d82bb4d9";

    private static ExchangeKey Credential() => KeyFactory.Hmac("dbefbc809e3e83c283a984c3a1459732ea7db1360ca80c5c2c8867408d28cc83", Secret);

    private static OutgoingRequest Prepare(string query, string body, SecurityType security, ExchangeKey key, long timestamp, int recvWindow)
    {
        Assert.True(RequestSigner.TryPrepare(query, body, security, key, timestamp, recvWindow, out var outgoing));
        return outgoing;
    }

    [Fact]
    public void Prepare_QueryOnly_ReproducesPublishedVectorA()
    {
        using var credential = Credential();

        var outgoing = Prepare(
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC",
            "", SecurityType.Trade, credential, 1591702613943, 5000);

        Assert.Equal(
            "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&timestamp=1591702613943&recvWindow=5000&signature="
            + HmacSha256Signer.SignHex(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(
                "symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=1&price=9000&timeInForce=GTC&timestamp=1591702613943&recvWindow=5000")),
            outgoing.Query);
        Assert.Equal("", outgoing.Body);
    }

    [Theory]
    [InlineData("signature=deadbeef&symbol=BTCUSDT", "symbol=BTCUSDT")]
    [InlineData("symbol=BTCUSDT&Signature=x&TIMESTAMP=1&recvwindow=60000&apiKey=k", "symbol=BTCUSDT")]
    [InlineData("%73ignature=encoded-name&symbol=BTCUSDT", "symbol=BTCUSDT")]
    [InlineData("&&symbol=BTCUSDT&&", "symbol=BTCUSDT")]
    [InlineData("symbol=BTC%55SDT&side=BUY", "symbol=BTC%55SDT&side=BUY")]
    [InlineData("symbol=BTCUSDT&side=BUY&signature=x&type=LIMIT", "symbol=BTCUSDT&side=BUY&type=LIMIT")]
    [InlineData("symbol=BTCUSDT&&side=BUY", "symbol=BTCUSDT&side=BUY")]
    [InlineData("signature=x", "")]
    public void Strip_RemovesClientCredentialsAndKeepsOtherBytesVerbatim(string raw, string expected)
    {
        Assert.Equal(expected, RequestSigner.Strip(raw));
    }

    [Fact]
    public void Strip_NothingToRemove_KeepsTheStringItself()
    {
        var raw = "symbol=BTCUSDT&side=BUY&type=LIMIT";

        Assert.Same(raw, RequestSigner.Strip(raw));
    }

    [Fact]
    public void Prepare_ParamsInBody_SignsQueryPlusBodyAndPutsSignatureLastInBody()
    {
        using var credential = Credential();

        var outgoing = Prepare("symbol=BTCUSDT&side=BUY", "quantity=1&price=9000&signature=old", SecurityType.Trade, credential, 1591702613943, 5000);

        Assert.Equal("symbol=BTCUSDT&side=BUY", outgoing.Query);
        Assert.StartsWith("quantity=1&price=9000&timestamp=1591702613943&recvWindow=5000&signature=", outgoing.Body);
        Assert.DoesNotContain("old", outgoing.Body);
        Assert.True(SignatureVerifier.VerifyHmac(Encoding.UTF8.GetBytes(Secret), outgoing.Query, outgoing.Body));
    }

    [Theory]
    [InlineData(SecurityType.None)]
    [InlineData(SecurityType.MarketData)]
    [InlineData(SecurityType.UserStream)]
    public void Prepare_UnsignedEndpoint_AddsNoTimestampOrSignature(SecurityType security)
    {
        using var credential = Credential();

        var outgoing = Prepare("symbol=BTCUSDT&signature=bot&timestamp=5", "", security, credential, 1, 5000);

        Assert.Equal("symbol=BTCUSDT", outgoing.Query);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("symbol=BTCUSDT", "")]
    [InlineData("", "symbol=BTCUSDT&quantity=0.001")]
    [InlineData("symbol=BTCUSDT", "side=BUY&type=MARKET")]
    [InlineData("symbol=%EF%BC%91", "")]
    [InlineData("symbol=币安USDT", "side=BUY")]
    public void Prepare_SignedEndpoint_IsAcceptedByIndependentVerifier(string query, string body)
    {
        using var credential = Credential();

        var outgoing = Prepare(query, body, SecurityType.UserData, credential, 1700000000000, 5000);

        Assert.True(SignatureVerifier.VerifyHmac(Encoding.UTF8.GetBytes(Secret), outgoing.Query, outgoing.Body));
        Assert.False(SignatureVerifier.VerifyHmac(Encoding.UTF8.GetBytes(Secret + "x"), outgoing.Query, outgoing.Body));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Prepare_PayloadLongerThanTheStackBuffer_IsSignedWhole(bool inBody)
    {
        // A batch of five orders runs past a kilobyte: the signed bytes come from a pooled buffer, not the stack's.
        using var credential = Credential();
        var batch = "batchOrders=" + Uri.EscapeDataString("[" + string.Join(",", Enumerable.Range(1, 5).Select(i =>
            $$"""{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","timeInForce":"GTC","quantity":"0.010","price":"6500{{i}}.1","newClientOrderId":"batch-order-{{i}}"}""")) + "]");
        Assert.True(Encoding.UTF8.GetByteCount(batch) > 1024);

        var outgoing = Prepare(inBody ? "recvWindow=1" : batch, inBody ? batch : "", SecurityType.Trade, credential, 1700000000000, 5000);

        Assert.True(SignatureVerifier.VerifyHmac(Encoding.UTF8.GetBytes(Secret), outgoing.Query, outgoing.Body));
        Assert.StartsWith(batch, inBody ? outgoing.Body : outgoing.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("recvWindow=1&", outgoing.Query, StringComparison.Ordinal);
    }
}
