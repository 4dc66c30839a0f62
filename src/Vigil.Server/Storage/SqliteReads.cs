using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// The reads of <see cref="SqliteVigilStore"/>: each on a pooled connection of its own, seeing the last committed
/// state (WAL), never waiting for the writer. The first read opens the writer (and with it the schema) if nothing has.
/// </summary>
internal sealed class SqliteReads
{
    // interactions in a range through interactions_second: the same expression as the index, so SQLite uses it
    // (ORDER BY that expression then ts sorts one second at a time).
    private const string SecondRange = "ts / 1000000 BETWEEN $from_second AND $to_second AND ts >= $from AND ts < $to";
    private const string TsRange = "ts >= $from AND ts < $to";

    private readonly string _readConnectionString;
    private readonly int _busyTimeoutMs;
    private readonly SqliteIdTail _tail;
    private readonly SqliteWriter _writer;

    public SqliteReads(string readConnectionString, int busyTimeoutMs, SqliteIdTail tail, SqliteWriter writer)
    {
        _readConnectionString = readConnectionString;
        _busyTimeoutMs = busyTimeoutMs;
        _tail = tail;
        _writer = writer;
    }

    public IAsyncEnumerable<InteractionRecord> ReadInteractionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadRangeAsync("interactions", SecondRange, "ts / 1000000, ts, seq", from, to, StoreJson.Interaction, static r => r.Timestamp, cancellationToken);

    public IAsyncEnumerable<FeedbackRecord> ReadFeedbackAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadRangeAsync("feedback", TsRange, "ts, id", from, to, StoreJson.Feedback, static r => r.Timestamp!.Value, cancellationToken);

    public IAsyncEnumerable<EvaluationRecord> ReadEvaluationsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        ReadRangeAsync("evaluations", TsRange, "ts, id", from, to, StoreJson.Evaluation, static r => r.EvaluatedAt!.Value, cancellationToken);

    public async Task<InteractionRecord?> GetInteractionAsync(string traceId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // The tail names the newest rows; interaction_ids the older ones. A repeat committed between the lookup and
        // the read deletes the row looked up, so a miss looks again (the repeat's row is then in the tail).
        for (var attempt = 0; ; attempt++)
        {
            if (_tail.TryGetSeq(traceId, out var seq))
            {
                command.CommandText = "SELECT json FROM interactions WHERE seq = $seq";
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$seq", seq);
            }
            else
            {
                command.CommandText = "SELECT i.json FROM interaction_ids x JOIN interactions i ON i.seq = x.seq WHERE x.trace_id = $id";
                command.Parameters.Clear();
                command.Parameters.AddWithValue("$id", traceId);
            }

            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json)
            {
                return StoreJson.Interaction(json);
            }

            if (attempt == 2)
            {
                return null;
            }
        }
    }

    public Task<IReadOnlyList<FeedbackRecord>> GetFeedbackForTraceAsync(string traceId, CancellationToken cancellationToken) =>
        ReadForTraceAsync("feedback", traceId, StoreJson.Feedback, cancellationToken);

    public Task<IReadOnlyList<EvaluationRecord>> GetEvaluationsForTraceAsync(string traceId, CancellationToken cancellationToken) =>
        ReadForTraceAsync("evaluations", traceId, StoreJson.Evaluation, cancellationToken);

    public async Task<decimal> SumCostAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var window = StoreTime.Window(from, to);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();

        // SQLite has no decimal type (json_extract would give a double), so the sum is taken here from
        // the number's JSON text, exactly. Rows in a bound's partial microsecond are decided on the record.
        command.CommandText = $"""
            SELECT json -> '$.cost_usd', CASE WHEN ts < $inner_from OR ts >= $inner_to THEN json END
            FROM interactions WHERE {SecondRange}
            """;
        AddRange(command, window);
        command.Parameters.AddWithValue("$inner_from", window.InnerFrom);
        command.Parameters.AddWithValue("$inner_to", window.InnerTo);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var sum = 0m;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(1))
            {
                var record = StoreJson.Interaction(reader.GetString(1));
                if (window.Contains(record.Timestamp))
                {
                    sum += record.CostUsd ?? 0m;
                }
            }
            else if (!reader.IsDBNull(0))
            {
                sum += decimal.Parse(reader.GetString(0), NumberStyles.Float, CultureInfo.InvariantCulture);
            }
        }

        return sum;
    }

    public async Task<IReadOnlyDictionary<string, int>> FindIdempotencyKeysAsync(
        IdempotencyScope scope, IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, int>(StringComparer.Ordinal);
        if (keys.Count == 0)
        {
            return found;
        }

        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT key, accepted FROM idempotency_keys WHERE scope = $scope AND key IN ({string.Join(", ", keys.Select((_, i) => $"$k{i}"))})";
        command.Parameters.AddWithValue("$scope", IdempotencyKeys.Name(scope));
        var n = 0;
        foreach (var key in keys)
        {
            command.Parameters.AddWithValue($"$k{n++}", key);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found[reader.GetString(0)] = reader.GetInt32(1);
        }

        return found;
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master";
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        _writer.ThrowIfDisposed();
        if (!_writer.IsInitialized)
        {
            await _writer.InitializeAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_readConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMs}");
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async IAsyncEnumerable<T> ReadRangeAsync<T>(
        string table,
        string range,
        string orderBy,
        DateTimeOffset from,
        DateTimeOffset to,
        Func<string, T> parse,
        Func<T, DateTimeOffset> timestamp,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var window = StoreTime.Window(from, to);
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT ts, json FROM {table} WHERE {range} ORDER BY {orderBy}";
        AddRange(command, window);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = parse(reader.GetString(1));
            if (window.IsCertain(reader.GetInt64(0)) || window.Contains(timestamp(record)))
            {
                yield return record;
            }
        }
    }

    private static void AddRange(SqliteCommand command, MicrosecondWindow window)
    {
        command.Parameters.AddWithValue("$from", window.OuterFrom);
        command.Parameters.AddWithValue("$to", window.OuterTo);
        // Truncating division, as SQLite's: every ts in [from, to) has its second in [from_second, to_second]. (Only
        // SecondRange uses them; a parameter a statement does not name is not bound.)
        command.Parameters.AddWithValue("$from_second", window.OuterFrom / 1_000_000);
        command.Parameters.AddWithValue("$to_second", window.OuterTo / 1_000_000);
    }

    private async Task<IReadOnlyList<T>> ReadForTraceAsync<T>(
        string table, string traceId, Func<string, T> parse, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT json FROM {table} WHERE trace_id = $id ORDER BY ts, id";
        command.Parameters.AddWithValue("$id", traceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(parse(reader.GetString(0)));
        }

        return list;
    }
}
