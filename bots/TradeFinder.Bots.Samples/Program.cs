using Microsoft.Extensions.Options;
using TradeFinder.Bots.Client;
using TradeFinder.Bots.Samples;

// The process entry point is the one place that owns the console (RS0030 bans it everywhere else).
#pragma warning disable RS0030
// A bot holds no keys: refuse to start if any are in the environment (names only, never values).
var keys = KeylessGuard.FindKeyVariables(Environment.GetEnvironmentVariables());
if (keys.Count > 0)
{
    await Console.Error.WriteLineAsync("tradefinder-bot: refusing to start: " + KeylessGuard.Message(keys));
    return 2;
}

var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddTradeFinderGateway(builder.Configuration);
builder.Services.AddOptions<BotOptions>().Bind(builder.Configuration.GetSection(BotOptions.Section))
    .ValidateDataAnnotations()
    .Validate(o => o.FastPeriod < o.SlowPeriod, "Bot:FastPeriod must be smaller than Bot:SlowPeriod.")
    .ValidateOnStart();
builder.Services.AddSingleton<Strategy>(sp => sp.GetRequiredService<IOptions<BotOptions>>().Value.Strategy == "grid"
    ? ActivatorUtilities.CreateInstance<GridMaker>(sp, sp.GetRequiredService<IOptions<BotOptions>>().Value)
    : ActivatorUtilities.CreateInstance<TrendFollower>(sp, sp.GetRequiredService<IOptions<BotOptions>>().Value));
builder.Services.AddHostedService<StrategyWorker>();

try
{
    await builder.Build().RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("tradefinder-bot: refusing to start: " + string.Join(" ", ex.Failures));
    return 2;
}
