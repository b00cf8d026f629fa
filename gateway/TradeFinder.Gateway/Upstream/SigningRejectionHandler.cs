using System.Net;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Keys;
using TradeFinder.Gateway.Signing;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// The exchange rejecting how a request was signed, watched on every signed answer in one place (one look at the
/// status per call, no extra async step per concern):
/// <list type="bullet">
/// <item><c>-2014</c>/<c>-2015</c>, the key itself: handed to the <see cref="StandbyPromoter"/>; the answer is
/// passed on unchanged and the request is not re-sent (it may be an order): the bot's next one is signed by the standby.</item>
/// <item><c>-1021</c>, timestamp outside recvWindow: the clock is re-measured at once; a signed GET — and only a GET,
/// because reads are idempotent — is signed again with the corrected time and sent once more. Orders and cancels
/// are never re-sent here: the bot receives the exchange's answer.</item>
/// </list>
/// </summary>
internal sealed class SigningRejectionHandler(ClockSyncService clockSync, StandbyPromoter promoter, ILogger<SigningRejectionHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!MayRejectSigning(response)
            || !request.Options.TryGetValue(SigningTransform.SignedOption, out var signed) || signed.Key is null)
        {
            return response;
        }

        var code = await WatchKeyAsync(response, signed.Key, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.BadRequest || code != ExchangeErrorCodes.InvalidTimestamp)
        {
            return response;
        }

        var mode = signed.Key.Set.Mode;
        await clockSync.ResyncAsync(mode, cancellationToken).ConfigureAwait(false);
        if (signed.Resign is null)
        {
            UpstreamLog.TimestampRejected(logger, mode.ToConfigValue(), request.Method.Method, retried: false);
            return response;
        }

        response.Dispose();
        var (outgoing, key) = signed.Resign();
        var target = SigningTransform.Target(request.RequestUri!.GetLeftPart(UriPartial.Authority), request.RequestUri.AbsolutePath, outgoing.Query);
        using var retry = new HttpRequestMessage(HttpMethod.Get, target) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        retry.Headers.TryAddWithoutValidation("User-Agent", SigningTransform.UserAgent);
        SigningTransform.ApplyKey(retry, key, target);
        UpstreamLog.TimestampRejected(logger, mode.ToConfigValue(), request.Method.Method, retried: true);
        var answer = await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
        if (key is not null && MayRejectSigning(answer))
        {
            await WatchKeyAsync(answer, key, cancellationToken).ConfigureAwait(false);
        }

        return answer;
    }

    /// <summary>The exchange answers a rejected signature, timestamp or key with 400 or 401: only those are read.</summary>
    private static bool MayRejectSigning(HttpResponseMessage response) => response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest;

    /// <summary>Reads the error code of a 400/401 (buffered, so the forwarder still sends the whole answer) and reports a rejected key.</summary>
    private async Task<int?> WatchKeyAsync(HttpResponseMessage response, ExchangeKey key, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var code = ExchangeErrorResponses.ReadCode(body);
        if (code is { } rejected && StandbyPromoter.RejectsTheKey(rejected))
        {
            _ = promoter.KeyRejected(key, rejected); // runs on its own; this answer is not held for it
        }

        return code;
    }
}
