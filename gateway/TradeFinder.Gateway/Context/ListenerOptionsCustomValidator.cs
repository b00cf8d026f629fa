using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Context;

/// <summary>The bots port and the unauthenticated ops port can never be the same socket.</summary>
internal sealed class ListenerOptionsCustomValidator : IValidateOptions<ListenerOptions>
{
    public ValidateOptionsResult Validate(string? name, ListenerOptions options) =>
        options.BotsEndpoint == options.OpsEndpoint && !options.BotsEndpoint.EndsWith(":0", StringComparison.Ordinal)
            ? ValidateOptionsResult.Fail("Gateway:BotsEndpoint and Gateway:OpsEndpoint must differ.")
            : ValidateOptionsResult.Success;
}
