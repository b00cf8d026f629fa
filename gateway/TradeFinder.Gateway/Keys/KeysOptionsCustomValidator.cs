using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Keys;

/// <summary>Key sets are named once and used once: one per (mode, purpose, group); <c>files</c> needs its directory.</summary>
internal sealed class KeysOptionsCustomValidator : IValidateOptions<KeysOptions>
{
    public ValidateOptionsResult Validate(string? name, KeysOptions options)
    {
        var failures = new List<string>();
        var duplicate = options.Sets.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            failures.Add($"Gateway:Keys:Sets has two sets named '{duplicate.Key}'.");
        }

        var sameUse = options.Sets.GroupBy(s => (s.Mode, s.Purpose, s.Group)).FirstOrDefault(g => g.Count() > 1);
        if (sameUse is not null)
        {
            failures.Add($"Gateway:Keys:Sets has two {sameUse.Key.Purpose.ToString().ToLowerInvariant()} sets for {sameUse.Key.Mode} group '{sameUse.Key.Group}'.");
        }

        if (options.Standby && options.Provider == KeyProviderKind.Env)
        {
            failures.Add("Gateway:Keys:Standby needs a provider that can change while the gateway runs (files or vault), not env.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
