namespace TradeFinder.PaperExchange.Protocol;

/// <summary>An exchange rejection: code and message as the exchange gives them, HTTP 400 unless stated.</summary>
internal sealed class ExchangeException(int code, string message, int status = 400) : Exception(message)
{
    public int Code { get; } = code;

    public int Status { get; } = status;

    public static ExchangeException Mandatory(string name) =>
        new(-1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");
}
