using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Signing;

/// <summary>How the gateway signs (<c>Gateway:RecvWindowMs</c>).</summary>
internal sealed class SigningOptions
{
    public const string Section = "Gateway";

    /// <summary>recvWindow the gateway signs with, in ms; the exchange accepts at most 60000 ("SIGNED Endpoint Security").</summary>
    [Range(1, 60_000)]
    public int RecvWindowMs { get; set; } = 5000;
}
