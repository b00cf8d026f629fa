using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;

namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Key custody at start, in two steps: <see cref="Prepare"/> decides which key sets this mode loads (warning
/// about key variables it will ignore) and makes the paper key; once the upstream addresses are known,
/// <see cref="LoadAsync"/> reads every key and binds it to its host. Disposing before the ring is handed over
/// releases the provider and the paper key.
/// </summary>
internal sealed class KeyBootstrap : IDisposable
{
    private readonly IReadOnlyList<KeySet> _sets;
    private readonly TimeProvider _time;
    private IKeyProvider? _provider;

    private KeyBootstrap(KeysOptions options, IReadOnlyList<KeySet> sets, IKeyProvider? provider, TimeProvider time)
    {
        Options = options;
        _sets = sets;
        _provider = provider;
        _time = time;
        PaperKey = EnvironmentKeyProvider.GeneratePaperKey();
    }

    public KeysOptions Options { get; }

    /// <summary>The hosted paper exchange's key: generated per start, never written anywhere.</summary>
    public KeyMaterial PaperKey { get; }

    public static KeyBootstrap Prepare(IConfiguration configuration, TradingMode mode, TimeProvider time, ICollection<string> warnings)
    {
        var options = ValidatedOptions.BindNow(KeysOptions.Section, () => configuration.GetSection(KeysOptions.Section).Get<KeysOptions>(), new KeysOptionsValidator(), new KeysOptionsCustomValidator());
        try
        {
            var sets = KeyLoader.SetsFor(options, mode, warnings);
            WarnAboutIgnoredKeys(configuration, mode, options, warnings);
            var provider = sets.Count > 0 ? KeyLoader.CreateProvider(options, configuration, time) : null;
            return new KeyBootstrap(options, sets, provider, time);
        }
        catch (KeyMaterialException ex)
        {
            throw new GatewayStartupException(ex.Message);
        }
    }

    public async Task<KeyRing> LoadAsync(IReadOnlyDictionary<TradingMode, Uri> upstreams, CancellationToken cancellationToken)
    {
        try
        {
            var ring = await KeyLoader.LoadAsync(_provider!, _sets, PaperKey, upstreams, _time, cancellationToken).ConfigureAwait(false);
            _provider = null; // the ring owns it now
            return ring;
        }
        catch (KeyMaterialException ex)
        {
            throw new GatewayStartupException(ex.Message);
        }
    }

    public void Dispose()
    {
        PaperKey.Dispose();
        (_provider as IDisposable)?.Dispose();
    }

    /// <summary>Key variables for a mode the gateway does not serve are never read; say so, naming only the variables.</summary>
    private static void WarnAboutIgnoredKeys(IConfiguration configuration, TradingMode mode, KeysOptions keys, ICollection<string> warnings)
    {
        bool IsSet(string name) => !string.IsNullOrWhiteSpace(configuration[name]);
        var live = EnvironmentKeyProvider.VariablesFor(TradingMode.Live);
        var testnet = EnvironmentKeyProvider.VariablesFor(TradingMode.Testnet);
        var liveSet = IsSet(live.Key) || IsSet(live.Secret) || IsSet(live.PrivateKeyFile);
        var testnetSet = IsSet(testnet.Key) || IsSet(testnet.Secret) || IsSet(testnet.PrivateKeyFile);
        switch (mode)
        {
            case TradingMode.Live when testnetSet:
                warnings.Add($"{testnet.Key}/{testnet.Secret} are set but ignored: TRADING_MODE=live uses only the production key.");
                break;
            case TradingMode.Testnet when liveSet:
                warnings.Add($"{live.Key}/{live.Secret} are set but ignored: TRADING_MODE=testnet never uses the production key.");
                break;
            case TradingMode.Paper when liveSet || testnetSet:
                warnings.Add("Exchange keys are set in the environment but ignored: TRADING_MODE=paper trades only against the built-in simulator.");
                break;
        }

        if (keys.Provider != KeyProviderKind.Env && mode != TradingMode.Paper && (mode == TradingMode.Live ? liveSet : testnetSet))
        {
            warnings.Add($"Exchange key variables are set but ignored: Gateway:Keys:Provider={keys.Provider.ToString().ToLowerInvariant()}.");
        }
    }
}
