using System.Net;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Modes;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Signing;

namespace TradeFinder.Gateway.Upstream;

/// <summary>
/// On <c>-1021</c> (timestamp outside recvWindow) the clock is re-measured at once; a signed GET — and only a
/// GET, because reads are idempotent — is then signed again with the corrected time and sent once more. Orders
/// and cancels are never re-sent here: the bot receives the exchange's answer.
/// </summary>
internal sealed class TimestampRetryHandler(ClockSyncService clockSync, ILogger<TimestampRetryHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.BadRequest
            || !request.Options.TryGetValue(SigningTransform.SignedOption, out var signed) || signed.Key is null)
        {
            return response;
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!IsTimestampError(body))
        {
            return Rebuilt(response, body);
        }

        var mode = signed.Key.Set.Mode;
        await clockSync.ResyncAsync(mode, cancellationToken).ConfigureAwait(false);
        if (signed.Resign is null)
        {
            UpstreamLog.TimestampRejected(logger, mode.ToConfigValue(), request.Method.Method, retried: false);
            return Rebuilt(response, body);
        }

        response.Dispose();
        var (outgoing, key) = signed.Resign();
        var target = SigningTransform.Target(request.RequestUri!.GetLeftPart(UriPartial.Authority), request.RequestUri.AbsolutePath, outgoing.Query);
        using var retry = new HttpRequestMessage(HttpMethod.Get, target) { Version = request.Version, VersionPolicy = request.VersionPolicy };
        retry.Headers.TryAddWithoutValidation("User-Agent", SigningTransform.UserAgent);
        SigningTransform.ApplyKey(retry, key, target);
        UpstreamLog.TimestampRejected(logger, mode.ToConfigValue(), request.Method.Method, retried: true);
        return await base.SendAsync(retry, cancellationToken).ConfigureAwait(false);
    }

    private static HttpResponseMessage Rebuilt(HttpResponseMessage response, byte[] body)
    {
        var replay = new ByteArrayContent(body);
        foreach (var header in response.Content.Headers)
        {
            replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = replay;
        return response;
    }

    private static bool IsTimestampError(byte[] body) => ExchangeErrorResponses.ReadCode(body) == ExchangeErrorCodes.InvalidTimestamp;
}
