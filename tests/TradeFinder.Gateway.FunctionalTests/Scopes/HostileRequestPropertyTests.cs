using CsCheck;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Testing;

namespace TradeFinder.Gateway.FunctionalTests.Scopes;

/// <summary>
/// Property: a request carrying anything hostile (mangled path, unknown or duplicated parameter, control
/// characters, injection strings, malformed numbers) is never forwarded and never produces a 5xx.
/// </summary>
public sealed class HostileRequestPropertyTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;
    private HttpClient _bot = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayTestHost.StartAsync();
        _bot = _host.CreateClient(await _host.IssueBotAsync("fuzz"));
    }

    public async Task DisposeAsync()
    {
        _bot.Dispose();
        await _host.DisposeAsync();
    }

    private static readonly string[] Hostile =
    [
        "' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/a}", "{{7*7}}", "../../etc/passwd", "\u0000", "\r\nX-Injected: 1",
        "BTCUSDT\n", "１２３", "-1", "1e9", "NaN", "0x10", "9999999999999999999999999", new string('A', 3000), "%00", "\u202e", "null",
    ];

    private static readonly string[] Names = ["symbol", "side", "type", "quantity", "price", "limit", "newClientOrderId", "interval", "orderId", "timeInForce"];

    private static readonly Gen<(string Method, string Path, string Query)> Requests =
        from endpoint in Gen.OneOfConst([.. UsdmEndpoints.All])
        from pathMutation in Gen.Int[0, 7]
        from parameters in Gen.Select(Gen.OneOfConst(Names), Gen.OneOfConst(Hostile)).Array[0, 4]
        from extra in Gen.Int[0, 3]
        from junkName in Gen.String[Gen.Char.AlphaNumeric, 1, 12]
        select (endpoint.Method, Mutate(endpoint.Path, pathMutation), Query(parameters, extra, junkName));

    private static string Mutate(string path, int how) => how switch
    {
        1 => path.ToUpperInvariant(),
        2 => path + "/",
        3 => path.Replace("/v", "/./v", StringComparison.Ordinal),
        4 => path.Replace("/v", "//v", StringComparison.Ordinal),
        5 => path + ";x=1",
        6 => path.Replace("fapi", "f%61pi", StringComparison.Ordinal),
        7 => "/fapi/v1/%2e%2e/%2e%2e/sapi/v1/capital/withdraw/apply",
        _ => path,
    };

    /// <summary>At least one hostile element is always present: a hostile value, an unknown name, or a duplicate.</summary>
    private static string Query((string Name, string Value)[] parameters, int extra, string junkName)
    {
        var pairs = parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)).ToList();
        switch (extra)
        {
            case 1:
                pairs.Add("zz" + junkName + "=1");
                break;
            case 2:
                pairs.Add("symbol=BTCUSDT");
                pairs.Add("symbol=ETHUSDT");
                break;
            default:
                if (pairs.Count == 0)
                {
                    pairs.Add("symbol=" + Uri.EscapeDataString("BTC\u0001USDT"));
                }

                break;
        }

        return string.Join('&', pairs);
    }

    [Fact]
    public async Task HostileRequests_AreNeverForwarded_AndNeverCause5xx()
    {
        await Requests.SampleAsync(async request =>
        {
            var (method, path, query) = request;
            _host.PaperJournal.Clear();
            var uri = new Uri(_host.BotsAddress.ToString().TrimEnd('/') + path + "?" + query, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

            using var response = await _bot.SendAsync(new HttpRequestMessage(new HttpMethod(method), uri));

            Assert.True((int)response.StatusCode < 500, $"{method} {path}?{query} → {(int)response.StatusCode}");
            Assert.True(!response.IsSuccessStatusCode, $"{method} {path}?{query} was accepted");
            Assert.Empty(_host.PaperJournal.Entries);
        }, iter: 400, threads: 1);
    }
}
