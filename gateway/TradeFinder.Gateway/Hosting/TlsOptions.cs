using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Hosting;

internal sealed class TlsOptions
{
    public string? CaCertificatePath { get; set; }

    public string? CaKeyPath { get; set; }

    public string? ServerCertificatePath { get; set; }

    public string? ServerKeyPath { get; set; }
}
