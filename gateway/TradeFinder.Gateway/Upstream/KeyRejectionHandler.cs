using System.Net;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Signing;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// Watches signed requests' answers for the exchange rejecting the key itself (-2014, -2015) and hands the key to
/// the <see cref="StandbyPromoter"/>. The answer is passed on unchanged: the request that met the rejection is not
/// re-sent (it may be an order), the bot's next one is signed by the standby.
/// </summary>
internal sealed class KeyRejectionHandler(StandbyPromoter promoter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
            || !request.Options.TryGetValue(SigningTransform.SignedOption, out var signed) || signed.Key is null)
        {
            return response;
        }

        // Buffered, so the forwarder still reads the whole answer after this look.
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (ExchangeErrorResponses.ReadCode(body) is { } code && StandbyPromoter.RejectsTheKey(code))
        {
            _ = promoter.KeyRejected(signed.Key, code); // runs on its own; this answer is not held for it
        }

        return response;
    }
}
