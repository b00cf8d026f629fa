using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace TradeFinder.Gateway.Audit;

/// <summary>Set by the audit step on a trade request; holds the write of its <c>sent</c> record once it is forwarded.</summary>
internal sealed class SentRecordFeature
{
    public Task? Written { get; set; }
}

/// <summary>
/// The last thing before a trade request leaves for the exchange: its <c>sent</c> record starts on its way to disk,
/// not awaited here, so the flush overlaps the exchange's work instead of following it.
/// </summary>
internal static class SentRecordTransform
{
    public static void AddSentRecord(this TransformBuilderContext context)
    {
        var audit = context.Services.GetRequiredService<AuditTrail>();
        var time = context.Services.GetRequiredService<TimeProvider>();
        context.AddRequestTransform(transform =>
        {
            if (transform.HttpContext.Features.Get<SentRecordFeature>() is { Written: null } sent)
            {
                sent.Written = audit.WriteDurableAsync(TrafficAuditMiddleware.DescribeSent(transform.HttpContext, time), CancellationToken.None);
            }

            return ValueTask.CompletedTask;
        });
    }
}
