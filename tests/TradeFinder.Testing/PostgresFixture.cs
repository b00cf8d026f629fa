using Xunit;

namespace TradeFinder.Testing;

/// <summary>One PostgreSQL per test run (see <see cref="PostgresServer"/>); each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The one collection every PostgreSQL test joins (each test assembly declares it with this name).</summary>
    public const string Collection = "postgres";

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.ForTestsAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
