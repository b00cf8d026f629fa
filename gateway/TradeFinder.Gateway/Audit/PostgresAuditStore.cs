using System.Data.Common;
using Npgsql;

namespace TradeFinder.Gateway.Audit;

/// <summary>The production store: PostgreSQL through Npgsql.</summary>
internal sealed class PostgresAuditStore(string connectionString) : SqlAuditStore
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override string Name => "postgres";

    protected override string BigIntType => "BIGINT";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
