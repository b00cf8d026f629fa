using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Logging;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Builds the key ring at start from the configured provider. Anything wrong (missing, placeholder, unreadable,
/// group-readable, wrong PEM) refuses the start with a message naming where the key should be, never the key.
/// </summary>
internal static class KeyLoader
{
    public static IKeyProvider CreateProvider(KeysOptions options, IConfiguration configuration, TimeProvider time) => options.Provider switch
    {
        KeyProviderKind.Files => new FileKeyProvider(string.IsNullOrWhiteSpace(options.Directory)
            ? throw new KeyMaterialException("Gateway:Keys:Provider=files needs Gateway:Keys:Directory.")
            : Path.GetFullPath(options.Directory)),
        KeyProviderKind.Vault => new VaultKeyProvider(options.Vault, configuration, time),
        _ => new EnvironmentKeyProvider(configuration),
    };

    public static IReadOnlyList<KeySet> SetsFor(KeysOptions options, TradingMode gatewayMode, ICollection<string> warnings)
    {
        if (options.Sets.Count == 0)
        {
            return gatewayMode == TradingMode.Paper ? [] : [KeySet.DefaultFor(gatewayMode)];
        }

        var sets = new List<KeySet>();
        foreach (var configured in options.Sets)
        {
            if (!TradingModes.TryParse(configured.Mode, out var mode) || mode != gatewayMode)
            {
                warnings.Add($"Key set '{configured.Name}' is for {configured.Mode}; TRADING_MODE={gatewayMode.ToConfigValue()} does not load it.");
                continue;
            }

            sets.Add(new KeySet(configured.Name, mode, configured.Purpose, configured.Group));
        }

        if (gatewayMode != TradingMode.Paper && !sets.Any(s => s.Purpose == KeyPurpose.Trade))
        {
            throw new KeyMaterialException($"Gateway:Keys:Sets has no trading key set for {gatewayMode.ToConfigValue()}.");
        }

        return sets;
    }

    public static async Task<KeyRing> LoadAsync(
        IKeyProvider provider,
        IReadOnlyList<KeySet> sets,
        KeyMaterial paperKey,
        IReadOnlyDictionary<TradingMode, Uri> upstreams,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var paperSet = new KeySet(TradingMode.Paper.ToConfigValue(), TradingMode.Paper, KeyPurpose.Trade, KeySet.DefaultGroup);
        Register(paperKey);
        var slots = new List<KeySlot> { new(paperSet, GeneratedKeyProvider.Instance, ExchangeKey.Create(paperSet, paperKey, upstreams[TradingMode.Paper], time.GetUtcNow())) };
        try
        {
            foreach (var set in sets)
            {
                using var material = await provider.ReadAsync(set, cancellationToken).ConfigureAwait(false);
                Register(material);
                slots.Add(new KeySlot(set, provider, ExchangeKey.Create(set, material, upstreams[set.Mode], time.GetUtcNow())));
            }
        }
        catch
        {
            foreach (var slot in slots)
            {
                slot.Active.Retire();
            }

            throw;
        }

        return new KeyRing(slots);
    }

    /// <summary>
    /// Lets the log and audit redactor mask the key id and HMAC secret wherever they might appear; it keeps
    /// fingerprints, not values, so the secret is never copied into a string.
    /// </summary>
    public static void Register(KeyMaterial material)
    {
        Redactor.RegisterSecret(material.ApiKey);
        if (!material.IsPrivateKeyPem)
        {
            Redactor.RegisterSecret(material.Secret);
        }
    }

    /// <summary>The paper key: generated per process and shared only with the in-process simulator.</summary>
    private sealed class GeneratedKeyProvider : IKeyProvider
    {
        public static readonly GeneratedKeyProvider Instance = new();

        public string Name => "generated";

        public bool CanChange => false;

        public string Describe(KeySet set) => "generated per process for the built-in simulator";

        public Task<KeyMaterial> ReadAsync(KeySet set, CancellationToken cancellationToken) =>
            throw new KeyMaterialException("The paper key is generated per process and shared with the built-in simulator; it is not rotated.");
    }
}
