using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using TradeFinder.Gateway.Certificates;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Cli;

/// <summary>HTTP client for the admin port, presenting an admin certificate from the data dir.</summary>
internal static class AdminApiClient
{
    public static HttpClient Create(IConfiguration configuration, string? name)
    {
        var paths = CertificatePaths.From(configuration);
        var options = configuration.GetSection(ListenerOptions.Section).Get<ListenerOptions>() ?? new ListenerOptions();
        var adminsDir = Path.Combine(paths.CertsDir, "admins");
        name ??= Directory.Exists(adminsDir) ? Directory.GetDirectories(adminsDir).Select(Path.GetFileName).FirstOrDefault() : null;
        if (name is null)
        {
            throw new GatewayCli.CliException("No admin certificate in the data dir: run `certs issue --admin NAME` first.");
        }

        var dir = Path.Combine(adminsDir, name);
        var certificate = Pem.LoadWithKey(Path.Combine(dir, name + ".crt"), Path.Combine(dir, name + ".key"));
        var ca = Pem.LoadCertificate(paths.CaCertificate);
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                ClientCertificates = [certificate],
                // The gateway's server certificate, nothing else our CA issued: a bot or admin certificate presented by
                // something listening on the admin endpoint is not the gateway and gets no admin request.
                RemoteCertificateValidationCallback = (_, server, _, errors) => server is X509Certificate2 s2
                    && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0
                    && ClientCertificateValidator.ChainsTo(s2, ca)
                    && ClientCertificateValidator.IsServerCertificate(s2),
            },
        };
        var endpoint = ListenerOptions.ParseEndpoint(options.AdminEndpoint);
        return new HttpClient(handler) { BaseAddress = new Uri($"https://{endpoint}/"), Timeout = TimeSpan.FromSeconds(10) };
    }
}
