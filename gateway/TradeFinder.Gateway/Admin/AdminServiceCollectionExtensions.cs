namespace TradeFinder.Gateway.Admin;

internal static class AdminServiceCollectionExtensions
{
    /// <summary>The admin API's request bodies are read with its generated JSON (the minimal APIs' binding uses these options).</summary>
    public static IServiceCollection AddGatewayAdmin(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJson.Default));
}
