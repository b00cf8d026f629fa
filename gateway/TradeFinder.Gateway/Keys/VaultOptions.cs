namespace TradeFinder.Gateway.Keys;

/// <summary>HashiCorp Vault / OpenBao KV v2; token or AppRole authentication.</summary>
internal sealed class VaultOptions
{
    /// <summary>e.g. <c>https://vault.internal:8200</c>; plain http only on loopback.</summary>
    public string? Address { get; set; }

    public string Mount { get; set; } = "secret";

    /// <summary>Secrets live at <c>{Mount}/data/{PathPrefix}/{set name}</c>.</summary>
    public string PathPrefix { get; set; } = "tradefinder";

    /// <summary>A file holding a Vault token (the <c>VAULT_TOKEN</c> variable is used when neither this nor AppRole is set).</summary>
    public string? TokenFile { get; set; }

    public string? RoleId { get; set; }

    /// <summary>A file holding the AppRole secret id (the <c>VAULT_SECRET_ID</c> variable otherwise).</summary>
    public string? SecretIdFile { get; set; }

    public string? Namespace { get; set; }
}
