namespace TradeFinder.Gateway.Context;

/// <summary>A local refusal: what the bot was told, kept on the request for the audit record.</summary>
internal sealed record RefusalFeature(int Status, int Code, string Message);
