using System.Text;
using TradeFinder.PaperExchange.Hosting;

// Standalone: `dotnet run --project gateway/TradeFinder.PaperExchange -- --urls http://127.0.0.1:PORT`,
// accepting the key in PAPER_API_KEY / PAPER_API_SECRET so any correctly signing Binance client can trade.
var apiKey = Environment.GetEnvironmentVariable("PAPER_API_KEY");
var secret = Environment.GetEnvironmentVariable("PAPER_API_SECRET");
if (string.IsNullOrWhiteSpace(apiKey) || string.IsNullOrWhiteSpace(secret))
{
    await Console.Error.WriteLineAsync("PAPER_API_KEY and PAPER_API_SECRET must be set to the key and secret this paper exchange accepts.");
    return 2;
}

var urls = "http://127.0.0.1:9900";
for (var i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--urls")
    {
        urls = args[i + 1];
    }
}

var settings = new PaperExchangeSettings
{
    Credentials = [new PaperCredential(apiKey, Encoding.UTF8.GetBytes(secret))],
    Url = urls,
};
await using var app = PaperExchangeServer.Build(settings, TimeProvider.System, []);
await app.StartAsync();
Console.WriteLine($"TradeFinder paper exchange listening on {string.Join(", ", app.Urls)}");
await app.WaitForShutdownAsync();
return 0;
