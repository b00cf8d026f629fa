using System.Buffers;
using TradeFinder.Contracts.Errors;
using TradeFinder.Contracts.Exchange;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Identity;

namespace TradeFinder.Gateway.Routing;

/// <summary>Step 2: the request must be a catalogued endpoint (deny by default); the entry travels with it.</summary>
internal sealed class CatalogMiddleware(RequestDelegate next, ILogger<CatalogMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        if (!IsCanonical(context, path))
        {
            var bot = context.Features.Get<BotIdentity>()?.Name ?? "?";
            RoutingLog.RequestNotRoutable(logger, bot, context.Request.Method, "(non-canonical path)", "ambiguous path");
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, ExchangeErrorCodes.IllegalChars,
                "Illegal characters found in request path; send the exchange's path exactly (no encoding, dot segments, ';' or trailing '/').");
        }

        var entry = UsdmEndpoints.Find(context.Request.Method, path);
        if (entry is null)
        {
            var bot = context.Features.Get<BotIdentity>()?.Name ?? "?";
            RoutingLog.RequestNotRoutable(logger, bot, context.Request.Method, path, "not in catalog");
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, ExchangeErrorCodes.PathNotFound,
                $"Path {path}, Method {context.Request.Method} is invalid");
        }

        context.Features.Set(entry);
        return next(context);
    }

    /// <summary>
    /// The raw request target must already be the plain path the server decoded: any percent-encoding,
    /// dot segment, doubled or trailing slash, ';' parameter or backslash is refused rather than guessed at.
    /// </summary>
    private static bool IsCanonical(HttpContext context, string decodedPath)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? decodedPath;
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query < 0 ? raw.AsSpan() : raw.AsSpan(0, query);
        return rawPath.SequenceEqual(decodedPath)
            && rawPath.Length > 1
            && rawPath[^1] != '/'
            && !rawPath.Contains("//", StringComparison.Ordinal)
            && !rawPath.Contains("/.", StringComparison.Ordinal)
            && !rawPath.ContainsAnyExcept(PathCharacters);
    }

    private static readonly SearchValues<char> PathCharacters =
        SearchValues.Create("/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
}
