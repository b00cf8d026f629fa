using TradeFinder.PaperExchange.Api;
using TradeFinder.PaperExchange.Diagnostics;
using TradeFinder.PaperExchange.Faults;
using TradeFinder.PaperExchange.Limits;
using TradeFinder.PaperExchange.Market;
using TradeFinder.PaperExchange.Persistence;
using TradeFinder.PaperExchange.Protocol;
using TradeFinder.PaperExchange.Security;
using TradeFinder.PaperExchange.Trading;

namespace TradeFinder.PaperExchange.Hosting;

/// <summary>
/// A running simulator on loopback. The gateway hosts one in paper mode and reaches it only through its
/// <see cref="BaseAddress"/>, exactly as it reaches the real exchange.
/// </summary>
public sealed class PaperExchangeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private PaperExchangeServer(WebApplication app, Uri baseAddress, RequestJournal journal)
    {
        _app = app;
        BaseAddress = baseAddress;
        Journal = journal;
    }

    /// <summary>Where the simulator listens, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Requests seen, when <see cref="PaperExchangeSettings.JournalEnabled"/> is set.</summary>
    public RequestJournal Journal { get; }

    /// <summary>Builds and starts a simulator.</summary>
    /// <param name="settings">Keys, balance and listen URL.</param>
    /// <param name="time">The clock for server time and timestamp checks.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <returns>The running server; dispose it to stop.</returns>
    public static async Task<PaperExchangeServer> StartAsync(
        PaperExchangeSettings settings, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        var app = Build(settings, time, []);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.First();
        return new PaperExchangeServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), app.Services.GetRequiredService<RequestJournal>());
    }

    internal static WebApplication Build(PaperExchangeSettings settings, TimeProvider time, string[] args)
    {
        if (settings.Credentials.Count == 0)
        {
            throw new ArgumentException("The paper exchange needs at least one API key.", nameof(settings));
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.WebHost.UseUrls(settings.Url);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (settings.Quiet)
        {
            // Hosted inside the gateway: its start-up chatter would read like a second gateway starting.
            builder.WebHost.UseSetting(WebHostDefaults.SuppressStatusMessagesKey, "true");
            builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        }

        var replays = settings.KlineReplays.ToDictionary(r => r.Key, r => KlineReplay.Load(r.Value), StringComparer.Ordinal);
        var market = new MarketData(new PriceFeed(settings.Seed, replays), time);
        var venue = new PaperVenue(market, settings.StartingBalance, settings.StatePath is null ? null : StateStore.Load(settings.StatePath));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PaperJson.Default));
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(settings.Credentials);
        builder.Services.AddSingleton(new RequestJournal(settings.JournalEnabled));
        builder.Services.AddSingleton(market);
        builder.Services.AddSingleton(new MarketStreamFeed(market));
        builder.Services.AddSingleton(venue);
        builder.Services.AddSingleton(new RateLimiter(settings.Limits, time));
        builder.Services.AddSingleton(new FaultInjector(settings.Faults, settings.Seed, time));
        builder.Services.AddSingleton<ExchangeSecurityFilter>();
        if (settings.StatePath is not null)
        {
            builder.Services.AddSingleton(new StateStore(settings.StatePath, venue, time));
        }

        builder.Services.AddHostedService(sp => new VenueTicker(venue, time));

        var app = builder.Build();
        if (app.Services.GetService<StateStore>() is { } store)
        {
            store.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<StateStore>();
        }

        var faults = app.Services.GetRequiredService<FaultInjector>();
        app.Use((context, next) => faults.InvokeAsync(context, next));
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromMinutes(3) }); // the exchange pings every 3 minutes
        app.MapStreamApi();
        app.MapMarketStreamApi();
        var fapi = app.MapGroup("/fapi").AddEndpointFilter<ExchangeSecurityFilter>();
        fapi.MapMarketApi();
        fapi.MapTradeApi();
        fapi.MapAccountApi(app);
        app.MapControlApi();
        app.MapFallback((HttpContext c) => ExchangeResults.Error(-5000, $"Path {c.Request.Path}, Method {c.Request.Method} is invalid", StatusCodes.Status404NotFound));
        return app;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        if (_app.Services.GetService<StateStore>() is { } store)
        {
            await store.DisposeAsync().ConfigureAwait(false);
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
