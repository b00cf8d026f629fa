using System.ComponentModel.DataAnnotations;

namespace TradeFinder.Gateway.Keys;

internal sealed class KeySetOptions
{
    [Required]
    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string Name { get; set; } = "";

    /// <summary><c>testnet</c> or <c>live</c>; a set is only loaded when the gateway serves its mode.</summary>
    [Required]
    [RegularExpression("^(testnet|live)$")]
    public string Mode { get; set; } = "";

    /// <summary><c>read</c> signs account reads only; <c>trade</c> (default) signs everything else.</summary>
    public KeyPurpose Purpose { get; set; } = KeyPurpose.Trade;

    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string Group { get; set; } = KeySet.DefaultGroup;
}
