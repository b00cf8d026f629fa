using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TradeFinder.Gateway.Context;
using TradeFinder.Gateway.Upstream;

namespace TradeFinder.Gateway.Keys;

internal static class KeysServiceCollectionExtensions
{
    /// <summary>
    /// Key custody: the ring loaded at start, validation with the exchange, rotation and the source watcher.
    /// Register after the clock so keys are checked with a synced clock before the gateway serves.
    /// </summary>
    public static IServiceCollection AddGatewayKeys(this IServiceCollection services, KeyRing ring, KeyCheckHosts hosts, IConfiguration configuration)
    {
        services.AddOptions<KeysOptions>().Bind(configuration.GetSection(KeysOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(_ => ring); // created by a factory, so the container disposes it (and its providers)
        services.AddSingleton(hosts);

        services.AddHttpClient(KeyValidator.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<KeyValidator>();
        services.AddSingleton<KeyRotation>();
        services.AddSingleton<KeyWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyWatcher>());
        return services;
    }

    /// <summary>Binds and validates <c>Gateway:Keys</c> before the container exists (keys are loaded before it is built).</summary>
    public static KeysOptions BindKeysOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(KeysOptions.Section).Get<KeysOptions>() ?? new KeysOptions();
        var failures = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var context = new System.ComponentModel.DataAnnotations.ValidationContext(options);
        System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, context, failures, validateAllProperties: true);
        foreach (var set in options.Sets)
        {
            System.ComponentModel.DataAnnotations.Validator.TryValidateObject(set, new(set), failures, validateAllProperties: true);
        }

        var duplicate = options.Sets.GroupBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        var sameUse = options.Sets.GroupBy(s => (s.Mode, s.Purpose, s.Group)).FirstOrDefault(g => g.Count() > 1);
        var messages = failures.Select(f => $"Gateway:Keys: {f.ErrorMessage}").ToList();
        if (duplicate is not null)
        {
            messages.Add($"Gateway:Keys:Sets has two sets named '{duplicate.Key}'.");
        }

        if (sameUse is not null)
        {
            messages.Add($"Gateway:Keys:Sets has two {sameUse.Key.Purpose} sets for {sameUse.Key.Mode} group '{sameUse.Key.Group}'.");
        }

        return messages.Count == 0 ? options : throw new GatewayStartupException(string.Join(" ", messages));
    }
}
