namespace TradeFinder.Gateway.Keys;

/// <summary>Key material that cannot be used; the message names the source and never contains the material.</summary>
internal sealed class KeyMaterialException(string message) : Exception(message);
