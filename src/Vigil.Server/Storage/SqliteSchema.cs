using Microsoft.Data.Sqlite;

namespace Vigil.Server.Storage;

/// <summary>
/// The tables of <see cref="SqliteVigilStore"/>, and the migrations that bring a file made by an earlier version up to
/// them, applied in one transaction when the writer opens the file.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The <c>store_state</c> key of the merge watermark: every row up to this seq is in <c>interaction_ids</c>.</summary>
    public const string WatermarkKey = "ids_merged_up_to";

    // interactions: rows are appended by seq (cheap for any trace id); the trace_id -> seq index is interaction_ids,
    // filled off the commit path from SqliteIdTail (see there). store_state holds the merge watermark.
    // Time is indexed by whole second (interactions_second, key second then seq), not by ts: records arrive seconds
    // out of order, so an index on ts put each commit's rows on hundreds of leaf pages, every one a full page in the
    // WAL; by second, a commit appends at the end of the few seconds it covers. Range reads filter ts on the row.
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS interactions (
            seq INTEGER PRIMARY KEY,
            trace_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            json TEXT NOT NULL);
        DROP INDEX IF EXISTS interactions_ts;
        CREATE INDEX IF NOT EXISTS interactions_second ON interactions (ts / 1000000);
        CREATE TABLE IF NOT EXISTS interaction_ids (
            trace_id TEXT PRIMARY KEY NOT NULL,
            seq INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS store_state (
            key TEXT PRIMARY KEY NOT NULL,
            value INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            trace_id TEXT NULL,
            ts INTEGER NOT NULL,
            json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS feedback_trace_id ON feedback (trace_id);
        CREATE INDEX IF NOT EXISTS feedback_ts ON feedback (ts);
        CREATE TABLE IF NOT EXISTS evaluations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            trace_id TEXT NOT NULL,
            ts INTEGER NOT NULL,
            json TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS evaluations_trace_id ON evaluations (trace_id);
        CREATE INDEX IF NOT EXISTS evaluations_ts ON evaluations (ts);
        """;

    // Added after the first release: created in a file of an earlier version when the writer opens it. A key is kept at
    // least 24 hours (IdempotencyKeys.Retention); created_at (Unix microseconds) is indexed for pruning.
    private const string IdempotencyKeysTable = """
        CREATE TABLE IF NOT EXISTS idempotency_keys (
            scope TEXT NOT NULL,
            key TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            PRIMARY KEY (scope, key)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON idempotency_keys (created_at);
        """;

    // A file made before interaction_ids existed (trace_id was the interactions table's primary key): copied over once.
    private const string MigrateFromTraceIdKey = """
        DROP INDEX IF EXISTS interactions_ts;
        ALTER TABLE interactions RENAME TO interactions_v1;
        """;

    private const string MigrateFromTraceIdKeyCopy = $"""
        INSERT INTO interactions (trace_id, ts, json) SELECT trace_id, ts, json FROM interactions_v1 ORDER BY ts;
        INSERT INTO interaction_ids (trace_id, seq) SELECT trace_id, seq FROM interactions;
        INSERT OR REPLACE INTO store_state (key, value) VALUES ('{WatermarkKey}', (SELECT coalesce(max(seq), 0) FROM interactions));
        DROP TABLE interactions_v1;
        """;

    /// <summary>
    /// Creates the tables that are missing and migrates a file of an earlier version, in one transaction: a file whose
    /// interactions are keyed by trace_id is copied over to the seq layout, and a file without idempotency_keys gains it.
    /// </summary>
    public static void Apply(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'interactions')
               AND NOT EXISTS (SELECT 1 FROM pragma_table_info('interactions') WHERE name = 'seq')
            """;
        var migrate = command.ExecuteScalar() is 1L;
        if (migrate)
        {
            command.CommandText = MigrateFromTraceIdKey;
            command.ExecuteNonQuery();
        }

        command.CommandText = Tables;
        command.ExecuteNonQuery();
        if (migrate)
        {
            command.CommandText = MigrateFromTraceIdKeyCopy;
            command.ExecuteNonQuery();
        }

        command.CommandText = IdempotencyKeysTable;
        command.ExecuteNonQuery();
        transaction.Commit();
    }
}
