using System.Collections.Concurrent;
using Npgsql;

namespace TradeFinder.Gateway.Context;

/// <summary>
/// The one LISTEN loop for what replicas announce to each other through PostgreSQL (registry changes, key steps, ledger
/// writes): a connection of its own; <c>caughtUp</c> after every (re)connection, so a notification missed while away
/// costs nothing; <c>woken</c> with the payloads heard, or with none when <c>wait</c> passed quietly (a chance to check
/// anyway); and, while the database is away, <c>lost</c> and another try a second later.
/// </summary>
internal static class PostgresNotifications
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);

    public static async Task ListenAsync(
        NpgsqlDataSource source, string channel, TimeSpan wait, Func<CancellationToken, Task> caughtUp,
        Func<IReadOnlyList<string>, CancellationToken, Task> woken, Action<Exception> lost, TimeProvider time, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await source.OpenConnectionAsync(stoppingToken).ConfigureAwait(false);
                var heard = new ConcurrentQueue<string>();
                connection.Notification += (_, e) => heard.Enqueue(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN " + channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken).ConfigureAwait(false);
                }

                await caughtUp(stoppingToken).ConfigureAwait(false);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
                    var payloads = new List<string>();
                    while (heard.TryDequeue(out var payload))
                    {
                        payloads.Add(payload);
                    }

                    await woken(payloads, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                lost(e);
                await Task.Delay(Retry, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
