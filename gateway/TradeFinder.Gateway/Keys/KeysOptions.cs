using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Keys;

/// <summary>Where exchange keys come from and how rotation behaves (<c>Gateway:Keys</c>).</summary>
internal sealed class KeysOptions
{
    public const string Section = "Gateway:Keys";

    /// <summary><c>env</c> (default), <c>files</c> (Docker/Kubernetes secrets, Vault Agent) or <c>vault</c> (KV v2 over HTTP).</summary>
    public KeyProviderKind Provider { get; set; } = KeyProviderKind.Env;

    /// <summary>Named key sets; empty means one trading key for the gateway's mode.</summary>
    [ValidateEnumeratedItems]
    public List<KeySetOptions> Sets { get; set; } = [];

    /// <summary>For <c>files</c>: a directory holding one sub-directory per key set.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Rotate automatically when the source changes (a file written, a new Vault version). Off means only
    /// <c>keys rotate</c> rotates, so operators can place the new key ahead of time and switch when they choose.
    /// </summary>
    public bool Watch { get; set; } = true;

    /// <summary>How often the files or Vault are re-read for a new version.</summary>
    [Range(1, 86_400)]
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>How long the previous key stays available to <c>keys rollback</c> after a rotation.</summary>
    [Range(0, 7 * 24 * 60)]
    public int RollbackWindowMinutes { get; set; } = 60;

    /// <summary>Keys without an IP restriction: <c>refuse-in-live</c> (default), <c>refuse</c> or <c>warn</c>.</summary>
    public UnrestrictedIpPolicy UnrestrictedIp { get; set; } = UnrestrictedIpPolicy.RefuseInLive;

    /// <summary>
    /// Permissions beyond futures trading and reading that a key may have, each named on purpose (e.g.
    /// <c>enableSpotAndMarginTrading</c>); any other one refuses the key. Empty by default.
    /// </summary>
    public List<string> AllowedPermissions { get; set; } = [];

    /// <summary>How often keys in service are checked with the exchange again; a key that gained a permission is taken out of service.</summary>
    [Range(1, 24 * 60)]
    public int RecheckMinutes { get; set; } = 60;

    /// <summary>
    /// Each set has a standby key in its source under <c>{set}-standby</c> (files: <c>{Directory}/{set}-standby/</c>;
    /// Vault: the same path with that name). When the exchange rejects the active key as invalid or revoked, the
    /// standby is staged, validated and promoted at once (audited, logged as an error) instead of every request failing.
    /// </summary>
    public bool Standby { get; set; }

    public VaultOptions Vault { get; set; } = new();
}
