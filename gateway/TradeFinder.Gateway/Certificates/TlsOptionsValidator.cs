using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Certificates;

/// <summary>Operator TLS material comes as complete pairs, or with a CA key so a server certificate can be issued.</summary>
internal sealed class TlsOptionsValidator : IValidateOptions<TlsOptions>
{
    public ValidateOptionsResult Validate(string? name, TlsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ServerCertificatePath) != string.IsNullOrWhiteSpace(options.ServerKeyPath))
        {
            failures.Add("Gateway:Tls:ServerCertificatePath and Gateway:Tls:ServerKeyPath must be set together.");
        }

        if (!string.IsNullOrWhiteSpace(options.CaCertificatePath) && string.IsNullOrWhiteSpace(options.ServerCertificatePath)
            && string.IsNullOrWhiteSpace(options.CaKeyPath))
        {
            failures.Add("With Gateway:Tls:CaCertificatePath, set either the server certificate and key or Gateway:Tls:CaKeyPath so one can be issued.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
