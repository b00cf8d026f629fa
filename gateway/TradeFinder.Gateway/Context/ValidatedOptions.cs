using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// The one way options are registered: bound to their section, checked by the source-generated validator
/// (and a validator for rules that span fields, where there is one) when the host starts — so a bad setting
/// stops the start, not the first trade. Callers bind with the options type spelled out (the bind delegates), the form
/// the configuration binding generator can write at build time (it cannot inside a generic helper).
/// </summary>
internal static class ValidatedOptions
{
    public static IServiceCollection AddValidatedOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator>(
        this IServiceCollection services, Action<OptionsBuilder<TOptions>> bind)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var builder = services.AddOptions<TOptions>();
        bind(builder);
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services;
    }

    public static IServiceCollection AddValidatedOptions<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TValidator,
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCustomValidator>(
        this IServiceCollection services, Action<OptionsBuilder<TOptions>> bind)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
        where TCustomValidator : class, IValidateOptions<TOptions>
    {
        services.AddValidatedOptions<TOptions, TValidator>(bind);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TCustomValidator>());
        return services;
    }

    /// <summary>
    /// Binds (<paramref name="bind"/>, null for an absent section) and validates options needed before the container
    /// exists (ports, TLS, keys, audit store) with the same validators the container runs; a failure refuses the start
    /// with every problem named.
    /// </summary>
    public static TOptions BindNow<TOptions>(string section, Func<TOptions?> bind, params IValidateOptions<TOptions>[] validators)
        where TOptions : class, new()
    {
        TOptions options;
        try
        {
            options = bind() ?? new TOptions();
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
