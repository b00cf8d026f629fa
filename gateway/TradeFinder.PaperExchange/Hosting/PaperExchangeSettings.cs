namespace TradeFinder.PaperExchange.Hosting;

/// <summary>What a paper exchange instance needs to start.</summary>
public sealed record PaperExchangeSettings
{
    /// <summary>The keys the simulator accepts; requests signed with anything else get -2015.</summary>
    public required IReadOnlyList<PaperCredential> Credentials { get; init; }

    /// <summary>Starting USDT wallet balance of the paper account.</summary>
    public decimal StartingBalance { get; init; } = 10_000m;

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
