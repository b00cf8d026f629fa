namespace TradeFinder.Gateway.Identity;

/// <summary>Bots configured by name under <c>Gateway:Bots:NAME</c> (scopes, limits, key group); the registry overrides them at run time.</summary>
internal sealed class BotsOptions : Dictionary<string, ConfiguredBot>
{
    public const string Section = "Gateway:Bots";

    public BotsOptions()
        : base(StringComparer.Ordinal)
    {
    }
}
