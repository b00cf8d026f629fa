using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Bots.Client;

/// <summary>
/// How a bot reaches the gateway. There is deliberately no API key or secret here: the bot proves who it
/// is with its client certificate, and the gateway signs for it.
/// </summary>
public sealed class GatewayClientOptions
{
    /// <summary>Configuration section bound by <see cref="GatewayClientServiceCollectionExtensions.AddTradeFinderGateway(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>.</summary>
    public const string Section = "TradeFinderGateway";

    /// <summary>The gateway's bot endpoint.</summary>
    /// <value>Default <c>https://127.0.0.1:8443/</c>.</value>
    [Required]
    public Uri BaseAddress { get; set; } = new("https://127.0.0.1:8443/");

    /// <summary>PEM file of the CA that issued the gateway's server certificate (<c>&lt;data&gt;/certs/ca.crt</c>).</summary>
    [Required]
    public string CaCertificatePath { get; set; } = "";

    /// <summary>PEM client certificate (<c>NAME.crt</c>); or leave empty and set <see cref="PfxPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of the client certificate (<c>NAME.key</c>).</summary>
    public string? KeyPath { get; set; }

    /// <summary>PKCS#12 bundle with certificate and key, as an alternative to the PEM pair.</summary>
    public string? PfxPath { get; set; }

    /// <summary>Password of <see cref="PfxPath"/>, if any.</summary>
    public string? PfxPassword { get; set; }

    /// <summary>Per-request timeout.</summary>
    /// <value>Default 10 seconds; between 1 second and 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a read answered with 429/503 and a Retry-After is tried again. Orders never are.</summary>
    /// <value>Default 2; 0 to 10.</value>
    [Range(0, 10)]
    public int ReadRetries { get; set; } = 2;

    /// <summary>The longest Retry-After a read waits for; a longer one surfaces as an exception at once.</summary>
    /// <value>Default 5 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan MaxRetryWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Prefix of the client order ids the client assigns (letters, digits, '-', '_'; at most 12).</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,12}$")]
    public string ClientOrderIdPrefix { get; set; } = "tf";
}
