namespace TradeFinder.Gateway.Context;

/// <summary>Parameters the gateway sets on the forwarded request before signing (added, or replacing the bot's values).</summary>
internal sealed class GatewayParameterFeature
{
    private readonly List<(string Name, string Value)> _values = [];

    public IReadOnlyList<(string Name, string Value)> Values => _values;

    public static GatewayParameterFeature Of(Microsoft.AspNetCore.Http.HttpContext context)
    {
        if (context.Features.Get<GatewayParameterFeature>() is not { } feature)
        {
            context.Features.Set(feature = new GatewayParameterFeature());
        }

        return feature;
    }

    public void Set(string name, string value)
    {
        _values.RemoveAll(v => v.Name == name);
        _values.Add((name, value));
    }

    /// <summary>The request's raw query and body with every parameter set.</summary>
    public (string Query, string Body) Apply(string rawQuery, string rawBody)
    {
        foreach (var (name, value) in _values)
        {
            (rawQuery, rawBody) = GatewayRequest.WithParameter(rawQuery, rawBody, name, value);
        }

        return (rawQuery, rawBody);
    }
}
