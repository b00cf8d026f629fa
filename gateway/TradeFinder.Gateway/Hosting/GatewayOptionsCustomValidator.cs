using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Hosting;

/// <summary>Rules that span fields: operator TLS material comes as complete pairs.</summary>
internal sealed class GatewayOptionsCustomValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var tls = options.Tls;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(tls.ServerCertificatePath) != string.IsNullOrWhiteSpace(tls.ServerKeyPath))
        {
            failures.Add("Gateway:Tls:ServerCertificatePath and Gateway:Tls:ServerKeyPath must be set together.");
        }

        if (!string.IsNullOrWhiteSpace(tls.CaCertificatePath) && string.IsNullOrWhiteSpace(tls.ServerCertificatePath)
            && string.IsNullOrWhiteSpace(tls.CaKeyPath))
        {
            failures.Add("With Gateway:Tls:CaCertificatePath, set either the server certificate and key or Gateway:Tls:CaKeyPath so one can be issued.");
        }

        if (options.BotsEndpoint == options.OpsEndpoint && !options.BotsEndpoint.EndsWith(":0", StringComparison.Ordinal))
        {
            failures.Add("Gateway:BotsEndpoint and Gateway:OpsEndpoint must differ.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
