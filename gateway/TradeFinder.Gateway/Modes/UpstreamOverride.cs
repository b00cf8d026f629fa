using System.Net;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Modes;

/// <summary>
/// <c>TRADEFINDER_UPSTREAM_OVERRIDE</c>: a test-only replacement for the testnet host (live refuses it). Only loopback
/// addresses are accepted, so a typo or a hostile config can never divert signed traffic off the machine.
/// </summary>
internal static class UpstreamOverride
{
    public const string VariableName = "TRADEFINDER_UPSTREAM_OVERRIDE";

    public static Uri? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !IsLoopback(uri))
        {
            throw new GatewayStartupException(
                $"{VariableName} must be an http(s) URL on a loopback address (127.0.0.0/8, [::1] or localhost); it is for tests only.");
        }

        return new Uri(uri.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback && (uri.HostNameType != UriHostNameType.Dns || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        && (uri.HostNameType == UriHostNameType.Dns || IPAddress.IsLoopback(IPAddress.Parse(uri.Host.Trim('[', ']'))));
}
