namespace TradeFinder.Gateway.Keys;

/// <summary>A secrets source: environment variables, a directory of secret files, or Vault KV v2.</summary>
internal interface IKeyProvider
{
    /// <summary><c>env</c>, <c>files</c>, <c>vault</c> or <c>generated</c>.</summary>
    string Name { get; }

    /// <summary>False when the source cannot change while the gateway runs (the environment).</summary>
    bool CanChange { get; }

    /// <summary>Where the set lives, for messages; never the material.</summary>
    string Describe(KeySet set);

    /// <summary>Reads the set's current material. Throws <see cref="KeyMaterialException"/> with a safe message.</summary>
    Task<KeyMaterial> ReadAsync(KeySet set, CancellationToken cancellationToken);
}
