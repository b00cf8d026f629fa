using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// The one way options are registered: bound to their section, checked by the source-generated validator
/// (and a validator for rules that span fields, where there is one) when the host starts — so a bad setting
/// stops the start, not the first trade.
/// </summary>
internal static class ValidatedOptions
{
    public static IServiceCollection AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }

    public static IServiceCollection AddValidatedOptions<TOptions, TValidator, TCustomValidator>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
        where TCustomValidator : class, IValidateOptions<TOptions>
    {
        services.AddValidatedOptions<TOptions, TValidator>(configuration, section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TCustomValidator>());
        return services;
    }

    /// <summary>
    /// Binds and validates options needed before the container exists (ports, TLS, keys, audit store) with the
    /// same validators the container runs; a failure refuses the start with every problem named.
    /// </summary>
    public static TOptions BindNow<TOptions>(IConfiguration configuration, string section, params IValidateOptions<TOptions>[] validators)
        where TOptions : class, new()
    {
        TOptions options;
        try
        {
            options = configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the setting; its inner exception says what was wrong with the value.
            throw new GatewayStartupException(ex.Message + (ex.InnerException is { } inner ? " " + inner.Message : ""));
        }

        var failures = validators.Select(v => v.Validate(Options.DefaultName, options)).Where(r => r.Failed).SelectMany(r => r.Failures ?? []).ToList();
        return failures.Count == 0 ? options : throw new GatewayStartupException($"Invalid {section} settings: " + string.Join(" ", failures));
    }
}
