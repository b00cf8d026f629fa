namespace TradeFinder.Gateway.Context;

/// <summary>A local refusal: what the bot was told, kept on the request for the audit record.</summary>
internal sealed record RefusalFeature(int Status, int Code, string Message)
{
    /// <summary>Closed unanswered and only counted (a throttled flood): no audit record of its own.</summary>
    public bool Counted { get; init; }

    /// <summary>Refusals of the same source closed unanswered since the last one audited.</summary>
    public int SuppressedBefore { get; init; }
}
