using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Vigil.Server.Storage;

/// <summary>The writer connection of <see cref="SqliteVigilStore"/> with its prepared commands and their reused parameters.</summary>
internal sealed class SqliteWriteCommands : IDisposable
{
    // The WAL file is cut back to this many times SqliteVigilStoreOptions.WalSizeLimitBytes when it starts over.
    public const int WalFileLimitFactor = 4;

    private readonly ArrayBufferWriter<byte> _buffer = new(16 * 1024);
    private readonly Utf8JsonWriter _arrayWriter;

    private SqliteWriteCommands(SqliteConnection connection)
    {
        _arrayWriter = new Utf8JsonWriter(_buffer);
        Connection = connection;

        // The JSON travels as UTF-8 bytes (no UTF-16 string, no second encoding) and is stored as TEXT:
        // CAST(blob AS TEXT) takes the bytes as they are. (A BLOB would read as JSONB to SQLite's JSON functions.)
        SelectStored = Prepare(connection, """
            SELECT x.trace_id, x.seq, i.json FROM interaction_ids x JOIN interactions i ON i.seq = x.seq
            WHERE x.trace_id IN (SELECT value FROM json_each(CAST($ids AS TEXT)))
            """);
        SelectStoredIds = SelectStored.Parameters.Add("$ids", SqliteType.Blob);
        SelectBySeq = Prepare(connection, "SELECT json FROM interactions WHERE seq = $seq");
        SelectBySeqSeq = SelectBySeq.Parameters.Add("$seq", SqliteType.Integer);
        DeleteBySeq = Prepare(connection, "DELETE FROM interactions WHERE seq = $seq");
        DeleteBySeqSeq = DeleteBySeq.Parameters.Add("$seq", SqliteType.Integer);
        InsertInteraction = Prepare(connection, "INSERT INTO interactions (seq, trace_id, ts, json) VALUES ($seq, $id, $ts, CAST($json AS TEXT))");
        InsertInteractionSeq = InsertInteraction.Parameters.Add("$seq", SqliteType.Integer);
        InsertInteractionId = InsertInteraction.Parameters.Add("$id", SqliteType.Text);
        InsertInteractionTs = InsertInteraction.Parameters.Add("$ts", SqliteType.Integer);
        InsertInteractionJson = InsertInteraction.Parameters.Add("$json", SqliteType.Blob);
        MergeId = Prepare(connection, "INSERT OR REPLACE INTO interaction_ids (trace_id, seq) VALUES ($id, $seq)");
        MergeIdId = MergeId.Parameters.Add("$id", SqliteType.Text);
        MergeIdSeq = MergeId.Parameters.Add("$seq", SqliteType.Integer);
        SetWatermark = Prepare(connection, $"INSERT OR REPLACE INTO store_state (key, value) VALUES ('{SqliteSchema.WatermarkKey}', $value)");
        SetWatermarkValue = SetWatermark.Parameters.Add("$value", SqliteType.Integer);
        InsertKey = Prepare(connection, "INSERT INTO idempotency_keys (scope, key, accepted, created_at) VALUES ($scope, $key, $accepted, $created_at)");
        InsertKeyScope = InsertKey.Parameters.Add("$scope", SqliteType.Text);
        InsertKeyKey = InsertKey.Parameters.Add("$key", SqliteType.Text);
        InsertKeyAccepted = InsertKey.Parameters.Add("$accepted", SqliteType.Integer);
        InsertKeyCreatedAt = InsertKey.Parameters.Add("$created_at", SqliteType.Integer);
        PruneKeys = Prepare(connection, "DELETE FROM idempotency_keys WHERE created_at < $before");
        PruneKeysBefore = PruneKeys.Parameters.Add("$before", SqliteType.Integer);
        InsertFeedback = new Insert(connection, "feedback");
        InsertEvaluation = new Insert(connection, "evaluations");
        foreach (var command in Commands)
        {
            command.Prepare();
        }
    }

    public SqliteConnection Connection { get; }

    public SqliteCommand SelectStored { get; }

    public SqliteParameter SelectStoredIds { get; }

    public SqliteCommand SelectBySeq { get; }

    public SqliteParameter SelectBySeqSeq { get; }

    public SqliteCommand DeleteBySeq { get; }

    public SqliteParameter DeleteBySeqSeq { get; }

    public SqliteCommand InsertInteraction { get; }

    public SqliteParameter InsertInteractionSeq { get; }

    public SqliteParameter InsertInteractionId { get; }

    public SqliteParameter InsertInteractionTs { get; }

    public SqliteParameter InsertInteractionJson { get; }

    public SqliteCommand MergeId { get; }

    public SqliteParameter MergeIdId { get; }

    public SqliteParameter MergeIdSeq { get; }

    public SqliteCommand SetWatermark { get; }

    public SqliteParameter SetWatermarkValue { get; }

    public SqliteCommand InsertKey { get; }

    public SqliteParameter InsertKeyScope { get; }

    public SqliteParameter InsertKeyKey { get; }

    public SqliteParameter InsertKeyAccepted { get; }

    public SqliteParameter InsertKeyCreatedAt { get; }

    public SqliteCommand PruneKeys { get; }

    public SqliteParameter PruneKeysBefore { get; }

    private SqliteCommand[] Commands => [SelectStored, SelectBySeq, DeleteBySeq, InsertInteraction, MergeId, SetWatermark, InsertKey, PruneKeys];

    public Insert InsertFeedback { get; }

    public Insert InsertEvaluation { get; }

    /// <summary>Opens the writer connection, sets its pragmas and brings the file's schema up to date (<see cref="SqliteSchema"/>).</summary>
    public static SqliteWriteCommands Open(string connectionString, SqliteVigilStoreOptions options, int busyTimeoutMs)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {busyTimeoutMs}"));

            // Takes effect only on a new, empty file (before WAL mode is set); an existing file keeps its own.
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA page_size = {options.PageSize}"));

            // WAL: readers never block the writer nor the writer them. The mode is stored in the file.
            // (It stays "delete" on file systems without shared memory; durability holds either way.)
            Execute(connection, "PRAGMA journal_mode = WAL");

            // NORMAL is durable against a killed process in WAL mode; FULL is needed for power loss.
            Execute(connection, options.SynchronousFull ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = {-Math.Max(options.WriterCacheKibibytes, 64)}"));
            // The WAL is checkpointed by SqliteCheckpointer on a connection of its own, never inside a commit here.
            Execute(connection, "PRAGMA wal_autocheckpoint = 0");
            // Cut back to a few times the limit, not to the limit: the WAL usually passes the limit before it starts
            // over, and a file cut on every start-over grows again each time (p99 at 50,000 records/s 100-130 ms
            // with the cut at the limit, 71-78 ms at four times it).
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA journal_size_limit = {Math.Max(options.WalSizeLimitBytes, 0) * WalFileLimitFactor}"));
            SqliteSchema.Apply(connection);
            return new SqliteWriteCommands(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var command in Commands)
        {
            command.Dispose();
        }

        InsertFeedback.Command.Dispose();
        InsertEvaluation.Command.Dispose();
        _arrayWriter.Dispose();
        Connection.Dispose();
    }

    /// <summary>The strings as a UTF-8 JSON array.</summary>
    public byte[] JsonArray(IEnumerable<string> values)
    {
        _buffer.ResetWrittenCount();
        _arrayWriter.Reset(_buffer);
        _arrayWriter.WriteStartArray();
        foreach (var value in values)
        {
            _arrayWriter.WriteStringValue(value);
        }

        _arrayWriter.WriteEndArray();
        _arrayWriter.Flush();
        return _buffer.WrittenSpan.ToArray();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A prepared append to the feedback or evaluations table.</summary>
    public sealed class Insert
    {
        public Insert(SqliteConnection connection, string table)
        {
            Command = Prepare(connection, $"INSERT INTO {table} (trace_id, ts, json) VALUES ($trace_id, $ts, CAST($json AS TEXT))");
            TraceId = Command.Parameters.Add("$trace_id", SqliteType.Text);
            Ts = Command.Parameters.Add("$ts", SqliteType.Integer);
            Json = Command.Parameters.Add("$json", SqliteType.Blob);
            Command.Prepare();
        }

        public SqliteCommand Command { get; }

        public SqliteParameter TraceId { get; }

        public SqliteParameter Ts { get; }

        public SqliteParameter Json { get; }
    }
}
