namespace TradeFinder.Gateway.Keys;

/// <summary>
/// Checks a key with the exchange before it may sign (its permissions, then a signed read). The check calls
/// the exchange, so it lives with the gateway's other upstream calls; key custody only asks for it.
/// </summary>
internal interface IKeyValidator
{
    Task<KeyValidation> ValidateAsync(ExchangeKey key, CancellationToken cancellationToken);
}
