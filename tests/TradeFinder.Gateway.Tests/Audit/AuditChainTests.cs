using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TradeFinder.Gateway.Audit;

namespace TradeFinder.Gateway.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly byte[] KeyBytes = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Theory]
    [InlineData("traffic", "alpha", "GET /fapi/v1/time", "forwarded 200", "{\"method\":\"GET\"}")]
    [InlineData("denied", null, null, "denied", "{\"reason\":\"USDⓈ-M 🚀 naïve \\u001f\"}")]
    [InlineData("traffic", "", "", "", "")]
    public void RowMac_IsTheHmacOfTheFieldsJoinedByTheUnitSeparatorInUtf8_AsEveryRowWrittenBefore(string type, string? bot, string? endpoint, string outcome, string details)
    {
        using var key = new AuditChainKey(KeyBytes);
        var row = new AuditEvent(long.MaxValue, Guid.Parse("0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), -1_733_000_000_123, type, bot, endpoint, outcome, details, AuditChain.Genesis, "");

        var joined = string.Join('\u001f',
            row.Sequence.ToString(CultureInfo.InvariantCulture), row.EventId.ToString("D"), row.OccurredAtMs.ToString(CultureInfo.InvariantCulture),
            type, bot ?? "", endpoint ?? "", outcome, details, row.PrevHash);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(KeyBytes, Encoding.UTF8.GetBytes(joined)));

        Assert.Equal(expected, AuditChain.Hash(row, key));
        Assert.Equal(expected, key.Mac(joined));
    }
}
