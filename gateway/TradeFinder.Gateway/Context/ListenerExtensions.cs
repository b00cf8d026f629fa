using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using TradeFinder.Contracts.Errors;

namespace TradeFinder.Gateway.Context;

internal static class ListenerExtensions
{
    private const string ItemKey = "tradefinder.listener";

    /// <summary>Tags every connection accepted on this endpoint with its listener.</summary>
    public static ListenOptions TagListener(this ListenOptions options, Listener listener)
    {
        options.Use(next => connection =>
        {
            connection.Items[ItemKey] = listener;
            return next(connection);
        });
        return options;
    }

    public static Listener? GetListener(this HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ItemKey, out var value) == true ? (Listener)value! : null;

    public static TBuilder OnListener<TBuilder>(this TBuilder builder, Listener listener)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new ListenerMetadata(listener));

    /// <summary>After routing: an endpoint reached on a port it does not belong to answers 404, as if absent.</summary>
    public static IApplicationBuilder UseListenerIsolation(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var wanted = context.GetEndpoint()?.Metadata.GetMetadata<ListenerMetadata>()?.Listener;
        if (wanted is not null && wanted != context.GetListener())
        {
            context.SetEndpoint(null);
            return ExchangeErrorResponses.WriteAsync(context, StatusCodes.Status404NotFound, ExchangeErrorCodes.PathNotFound, "Path not found.");
        }

        return next(context);
    });
}
