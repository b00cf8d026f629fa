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

    [RegularExpression("^(read|trade)$")]
    public string Purpose { get; set; } = "trade";

    [RegularExpression("^[a-z0-9][a-z0-9-]{0,62}$")]
    public string Group { get; set; } = KeySet.DefaultGroup;
}
