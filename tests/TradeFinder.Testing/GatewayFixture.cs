using Xunit;

namespace TradeFinder.Testing;

/// <summary>
/// One gateway for a whole test class whose tests only read (each test clears the journal it asserts on):
/// the functional suite then starts one host per class instead of one per test. Subclass it to choose the
/// bots issued at start; tests get their clients with <see cref="Bot"/>.
/// </summary>
public class GatewayFixture : IAsyncLifetime
{
    private readonly Dictionary<string, HttpClient> _bots = new(StringComparer.Ordinal);

    public GatewayTestHost Host { get; private set; } = null!;

    /// <summary>Bots issued (name, scopes) before the first test.</summary>
    protected virtual IEnumerable<(string Name, string Scopes)> Bots => [];

    public HttpClient Bot(string name) => _bots[name];

    public virtual async Task InitializeAsync()
    {
        Host = await GatewayTestHost.StartAsync().ConfigureAwait(false);
        foreach (var (name, scopes) in Bots)
        {
            _bots[name] = Host.CreateClient(await Host.IssueBotAsync(name, scopes: scopes).ConfigureAwait(false));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var bot in _bots.Values)
        {
            bot.Dispose();
        }

        await Host.DisposeAsync().ConfigureAwait(false);
    }
}
