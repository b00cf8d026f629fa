using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;

namespace TradeFinder.Gateway.Context;

/// <summary>Where the gateway's three ports listen (<c>Gateway:*Endpoint</c>, <c>host:port</c>) and which TLS versions they accept.</summary>
internal sealed class ListenerOptions
{
    public const string Section = "Gateway";
    private const string EndpointPattern = @"^[^\s:]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$";

    /// <summary>Bot ingress, mTLS required.</summary>
    [Required]
    [RegularExpression(EndpointPattern)]
    public string BotsEndpoint { get; set; } = "127.0.0.1:8443";

    /// <summary>Admin API, mTLS with admin certificates only.</summary>
    [Required]
    [RegularExpression(EndpointPattern)]
    public string AdminEndpoint { get; set; } = "127.0.0.1:8444";

    /// <summary>Health, readiness and metrics over plain HTTP.</summary>
    [Required]
    [RegularExpression(EndpointPattern)]
    public string OpsEndpoint { get; set; } = "127.0.0.1:9464";

    /// <summary>TLS 1.3 only unless this is set; then TLS 1.2 is accepted too.</summary>
    public bool AllowTls12 { get; set; }

    /// <summary>
    /// Bot requests run on the socket threads that read them instead of being handed to the thread pool at every
    /// read (Kestrel's inline scheduling, and inline socket completions for the whole process when the gateway is
    /// its own process): fewer thread hand-offs per request. Admin and ops requests still move to the thread pool
    /// first, as their work can be long. Off only to rule it out when diagnosing.
    /// </summary>
    public bool InlineIo { get; set; } = true;

    /// <summary>An endpoint setting as an address Kestrel can bind (<c>localhost</c> means the IPv4 loopback).</summary>
    public static IPEndPoint ParseEndpoint(string value)
    {
        var colon = value.LastIndexOf(':');
        var host = value[..colon].Trim('[', ']');
        var port = int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        return IPAddress.TryParse(host, out var address)
            ? new IPEndPoint(address, port)
            : throw new GatewayStartupException($"'{value}' is not an IP:port endpoint (use an address such as 127.0.0.1:8443).");
    }
}
