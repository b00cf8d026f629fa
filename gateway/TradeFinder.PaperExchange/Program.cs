using System.Runtime.InteropServices;
using System.Text;
using TradeFinder.PaperExchange.Hosting;
using TradeFinder.PaperExchange.Security;

// The process entry point is the one place that owns the console (RS0030 bans it everywhere else).
#pragma warning disable RS0030
// Standalone: `dotnet run --project gateway/TradeFinder.PaperExchange -- --urls http://127.0.0.1:PORT`.
// It accepts PAPER_API_KEY / PAPER_API_SECRET (HMAC), and optionally an Ed25519 or RSA public key
// (PAPER_PUBLIC_KEY_FILE, PEM) under PAPER_PUBLIC_KEY_API_KEY, so any correctly signing Binance client can
// trade against it. PAPER_STATE keeps the account in a file across restarts; PAPER_SEED picks the market.
if (args is ["health", ..])
{
    // Container health check (the chiseled image has no curl): ping the local listener.
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
    try
    {
        using var ping = await http.GetAsync(new Uri("http://127.0.0.1:" + (Environment.GetEnvironmentVariable("PAPER_PORT") ?? "9900") + "/fapi/v1/ping"));
        return ping.IsSuccessStatusCode ? 0 : 1;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        return 1;
    }
}

// The secret may come as a file (a container secret), so it never sits in the environment.
var apiKey = Environment.GetEnvironmentVariable("PAPER_API_KEY_FILE") is { Length: > 0 } keyFile
    ? (await File.ReadAllTextAsync(keyFile)).Trim()
    : Environment.GetEnvironmentVariable("PAPER_API_KEY");
var secret = Environment.GetEnvironmentVariable("PAPER_API_SECRET_FILE") is { Length: > 0 } secretFile
    ? (await File.ReadAllTextAsync(secretFile)).Trim()
    : Environment.GetEnvironmentVariable("PAPER_API_SECRET");
if (string.IsNullOrWhiteSpace(apiKey) || string.IsNullOrWhiteSpace(secret))
{
    await Console.Error.WriteLineAsync("PAPER_API_KEY and PAPER_API_SECRET (or PAPER_API_SECRET_FILE) must be set to the key and secret this paper exchange accepts.");
    return 2;
}

var credentials = new List<PaperCredential> { new(apiKey, Encoding.UTF8.GetBytes(secret)) };
var publicKeyFile = Environment.GetEnvironmentVariable("PAPER_PUBLIC_KEY_FILE");
if (!string.IsNullOrWhiteSpace(publicKeyFile))
{
    var pem = await File.ReadAllTextAsync(publicKeyFile);
    var publicApiKey = Environment.GetEnvironmentVariable("PAPER_PUBLIC_KEY_API_KEY");
    if (string.IsNullOrWhiteSpace(publicApiKey))
    {
        await Console.Error.WriteLineAsync("PAPER_PUBLIC_KEY_FILE needs PAPER_PUBLIC_KEY_API_KEY, the API key that signs with it.");
        return 2;
    }

    // An Ed25519 SubjectPublicKeyInfo is 44 bytes; anything longer is taken as RSA.
    var der = Convert.FromBase64String(string.Concat(pem.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal)).Select(l => l.Trim())));
    credentials.Add(new PaperCredential(publicApiKey, ReadOnlyMemory<byte>.Empty)
    {
        KeyType = der.Length == 44 ? PaperKeyType.Ed25519 : PaperKeyType.Rsa,
        PublicKeyPem = pem,
   });
}

var urls = "http://127.0.0.1:9900";
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--urls")
    {
        urls = args[i + 1];
    }
}

// Higher account tiers have higher limits: load runs raise them (PAPER_WEIGHT_PER_MINUTE, PAPER_ORDERS_PER_10S,
// PAPER_ORDERS_PER_MINUTE) and the wallet (PAPER_STARTING_BALANCE) so a throughput run is not capped by design limits.
var defaults = new TradeFinder.PaperExchange.Limits.RateLimitSettings();
int Limit(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : fallback;
var settings = new PaperExchangeSettings
{
    Credentials = credentials,
    Url = urls,
    StatePath = Environment.GetEnvironmentVariable("PAPER_STATE") is { Length: > 0 } state ? Path.GetFullPath(state) : null,
    Seed = int.TryParse(Environment.GetEnvironmentVariable("PAPER_SEED"), out var seed) ? seed : 42,
    StartingBalance = decimal.TryParse(Environment.GetEnvironmentVariable("PAPER_STARTING_BALANCE"), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var balance) && balance > 0
        ? balance
        : 10_000m,
    Limits = defaults with
    {
        WeightPerMinute = Limit("PAPER_WEIGHT_PER_MINUTE", defaults.WeightPerMinute),
        OrdersPer10Seconds = Limit("PAPER_ORDERS_PER_10S", defaults.OrdersPer10Seconds),
        OrdersPerMinute = Limit("PAPER_ORDERS_PER_MINUTE", defaults.OrdersPerMinute),
    },
};
// SIGINT (Ctrl+C) and SIGTERM (docker stop, kill, systemd) both stop it cleanly: the server is disposed below,
// which saves the account state before the process exits. Registered before "listening" is announced, so a signal
// sent as soon as the line appears is never lost to the web host's own handler.
var stop = new TaskCompletionSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
await using var server = await PaperExchangeServer.StartAsync(settings, TimeProvider.System);
Console.WriteLine($"TradeFinder paper exchange listening on {server.BaseAddress}");
await stop.Task;
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult();
}
