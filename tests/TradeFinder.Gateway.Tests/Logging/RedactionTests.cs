using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using TradeFinder.Gateway.Logging;

namespace TradeFinder.Gateway.Tests.Logging;

public sealed class RedactionTests
{
    private static readonly string Canary = "CANARYsecret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20));

    [Theory]
    [InlineData("symbol=BTCUSDT&timestamp=1&signature=3c661234138461fcc7a7d8746c6558c9842d4e10870d2ecbedf7777cad694af9", "symbol=BTCUSDT&timestamp=1&signature=***")]
    [InlineData("X-MBX-APIKEY: k3yValue9", "X-MBX-APIKEY: ***")]
    [InlineData("x-vault-token=s.abcdef", "x-vault-token=***")]
    [InlineData("Authorization: Bearer eyJhbGciOi.xyz", "Authorization: ***")]
    [InlineData("{\"client_token\":\"hvs.CAESI\",\"ok\":true}", "{\"client_token\":\"***\",\"ok\":true}")]
    [InlineData("listenKey=pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1", "listenKey=***")]
    [InlineData("password=hunter2&user=bob", "password=***&user=bob")]
    [InlineData("orderId=1000023 clientOrderId=my-order-7", "orderId=1000023 clientOrderId=my-order-7")]
    [InlineData("key fp:3c661234abcd loaded", "key fp:3c661234abcd loaded")]
    public void Redact_MasksCredentialsAndKeepsOrdinaryIds(string input, string expected)
    {
        Assert.Equal(expected, Redactor.Redact(input));
    }

    [Fact]
    public void Redact_RegisteredSecret_IsMaskedAnywhere()
    {
        Redactor.RegisterSecret(Canary);
        try
        {
            Assert.Equal("value=*** and again ***!", Redactor.Redact($"value={Canary} and again {Canary}!"));
            Assert.DoesNotContain(Canary, Redactor.Redact($"in a sentence {Canary}."));
        }
        finally
        {
            Redactor.ForgetSecret(Canary);
        }
    }

    [Theory]
    [InlineData("{0}", "***")]
    [InlineData("a{0}{0}b", "a******b")]
    [InlineData("prefix{0}suffix", "prefix***suffix")]
    [InlineData("{0}\n{0}", "***\n***")]
    [InlineData("almost {1} but not", "almost {1} but not")]
    public void Redact_SecretRegisteredAsBytes_IsMaskedWhereverItOccurs_AndNothingElseIs(string template, string expected)
    {
        // All letters, so only exact matching (not the long-token rule) can catch it.
        var secret = string.Concat(Enumerable.Range(0, 40).Select(i => (char)('a' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(26))));
        var nearMiss = secret[..^1] + (secret[^1] == 'z' ? 'y' : 'z');
        var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
        Redactor.RegisterSecret(bytes);
        try
        {
            Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, secret, nearMiss),
                Redactor.Redact(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, secret, nearMiss)));
        }
        finally
        {
            Redactor.ForgetSecret(secret);
        }
    }

    [Fact]
    public void RedactingSink_MasksProperties_RenderedMessages_SecretNamedFields_AndExceptions()
    {
        Redactor.RegisterSecret(Canary);
        var output = new StringWriter();
        using (var logger = new LoggerConfiguration()
            .WriteTo.Sink(new RedactingSink(new FormattingSink(output)))
            .CreateLogger())
        {
            logger.Information("Calling {Url} with {Secret}", "http://x/fapi/v2/account?signature=abcdef0123456789abcdef0123456789abcdef01&timestamp=1", "plain-looking");
            logger.Information("Loaded {@Config}", new { ApiSecret = "not-registered-but-named", Host = "fapi" });
            logger.Error(new InvalidOperationException("upstream said: bad key " + Canary), "Failed");
        }

        Redactor.ForgetSecret(Canary);
        var text = output.ToString();
        Assert.DoesNotContain(Canary, text);
        Assert.DoesNotContain("abcdef0123456789abcdef0123456789abcdef01", text);
        Assert.DoesNotContain("plain-looking", text);
        Assert.DoesNotContain("not-registered-but-named", text);
        Assert.Contains("signature=***", text);
        Assert.Contains("fapi", text);
    }

    private sealed class FormattingSink(TextWriter output) : ILogEventSink
    {
        private readonly RenderedCompactJsonFormatter _formatter = new();

        public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, output);
    }
}
