using System.Text.Json;
using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>The stores keep each record as its contract JSON (snake_case, source-generated).</summary>
internal static class StoreJson
{
    public static string Serialize(InteractionRecord record) =>
        JsonSerializer.Serialize(record, VigilJsonContext.Default.InteractionRecord);

    public static string Serialize(FeedbackRecord record) =>
        JsonSerializer.Serialize(record, VigilJsonContext.Default.FeedbackRecord);

    public static string Serialize(EvaluationRecord record) =>
        JsonSerializer.Serialize(record, VigilJsonContext.Default.EvaluationRecord);

    public static byte[] SerializeUtf8(InteractionRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, VigilJsonContext.Default.InteractionRecord);

    public static byte[] SerializeUtf8(FeedbackRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, VigilJsonContext.Default.FeedbackRecord);

    public static byte[] SerializeUtf8(EvaluationRecord record) =>
        JsonSerializer.SerializeToUtf8Bytes(record, VigilJsonContext.Default.EvaluationRecord);

    public static InteractionRecord Interaction(string json) =>
        JsonSerializer.Deserialize(json, VigilJsonContext.Default.InteractionRecord)
        ?? throw new InvalidDataException("A stored interaction is JSON null.");

    public static FeedbackRecord Feedback(string json) =>
        JsonSerializer.Deserialize(json, VigilJsonContext.Default.FeedbackRecord)
        ?? throw new InvalidDataException("A stored feedback is JSON null.");

    public static EvaluationRecord Evaluation(string json) =>
        JsonSerializer.Deserialize(json, VigilJsonContext.Default.EvaluationRecord)
        ?? throw new InvalidDataException("A stored evaluation is JSON null.");

    /// <summary>Guards a batch argument: not null, no null element, every interaction with a trace_id.</summary>
    public static void CheckInteractions(IReadOnlyList<InteractionRecord> records) => CheckTraceIds(records, static r => r.TraceId);

    /// <summary>Guards a batch argument: not null, no null element, every evaluation with a trace_id.</summary>
    public static void CheckEvaluations(IReadOnlyList<EvaluationRecord> records) => CheckTraceIds(records, static r => r.TraceId);

    /// <summary>Guards a batch argument: not null, no null element.</summary>
    public static void CheckNoNulls<T>(IReadOnlyList<T> records)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i] is null)
            {
                throw new ArgumentException($"records[{i}] is null.", nameof(records));
            }
        }
    }

    private static void CheckTraceIds<T>(IReadOnlyList<T> records, Func<T, string?> traceId)
        where T : class
    {
        CheckNoNulls(records);
        for (var i = 0; i < records.Count; i++)
        {
            if (string.IsNullOrEmpty(traceId(records[i])))
            {
                throw new ArgumentException($"records[{i}] has no trace_id.", nameof(records));
            }
        }
    }
}
