using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Routing;

/// <summary>What a bot request may look like before any parameter is read (<c>Gateway:MaxBodyBytes</c>).</summary>
internal sealed class RequestOptions
{
    public const string Section = "Gateway";

    /// <summary>Largest form body a bot may send, in bytes (Kestrel's limit too).</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;
}
