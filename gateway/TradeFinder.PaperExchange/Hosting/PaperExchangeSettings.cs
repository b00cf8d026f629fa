using TradeFinder.PaperExchange.Faults;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Security;

namespace TradeFinder.PaperExchange.Hosting;

/// <summary>What a paper exchange instance needs to start.</summary>
public sealed record PaperExchangeSettings
{
    /// <summary>The keys the simulator accepts; requests signed with anything else get -2015.</summary>
    public required IReadOnlyList<PaperCredential> Credentials { get; init; }

    /// <summary>Starting USDT wallet balance of the paper account (and what a reset restores).</summary>
    public decimal StartingBalance { get; init; } = 10_000m;

    /// <summary>Seed of the price process and of fault probabilities; same seed, same market.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Where the account is saved to survive restarts; null keeps it in memory only.</summary>
    public string? StatePath { get; init; }

    /// <summary>Symbols whose prices replay a one-minute kline CSV instead of the seeded process.</summary>
    public IReadOnlyDictionary<string, string> KlineReplays { get; init; } = new Dictionary<string, string>();

    /// <summary>Exchange limits; lower them in tests to reach 429 and 418 quickly.</summary>
    public RateLimitSettings Limits { get; init; } = new();

    /// <summary>Faults active from start (more can be added at run time through the control API).</summary>
    public IReadOnlyList<FaultRule> Faults { get; init; } = [];

    /// <summary>
    /// Keep the last requests seen (method, path, query, key header, body, outcome) for tests that must
    /// prove what reached the upstream. Off in production use.
    /// </summary>
    public bool JournalEnabled { get; init; }

    /// <summary>Suppress start-up status messages (when hosted by the gateway).</summary>
    public bool Quiet { get; init; }

    /// <summary>Loopback URL to listen on, e.g. <c>http://127.0.0.1:0</c> for an ephemeral port.</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";
}
