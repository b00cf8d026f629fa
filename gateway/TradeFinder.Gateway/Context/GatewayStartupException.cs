namespace TradeFinder.Gateway.Context;

/// <summary>
/// A configuration problem that must stop the gateway before it serves anything. The message is shown to
/// the operator as is, so it names the setting and the fix and never contains secret values.
/// </summary>
internal sealed class GatewayStartupException(string message) : Exception(message)
{
    /// <summary>The process exit code for a refused start or a CLI verb refused for its settings.</summary>
    public const int ExitCode = 2;
}
