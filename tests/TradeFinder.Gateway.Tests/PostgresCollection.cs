using TradeFinder.Testing;

namespace TradeFinder.Gateway.Tests;

/// <summary>Tests sharing one PostgreSQL (xunit finds collection definitions only in the test assembly).</summary>
[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;
