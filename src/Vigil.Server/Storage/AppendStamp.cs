using Vigil.Records;

namespace Vigil.Server.Storage;

/// <summary>
/// Feedback and verdicts are filed under their own time, or under the time they were received when they carry
/// none; that time is written into the record too, so a read gives back the time it is filed under.
/// </summary>
internal static class AppendStamp
{
    public static FeedbackRecord[] Feedback(IReadOnlyList<FeedbackRecord> records, TimeProvider time)
    {
        StoreJson.CheckNoNulls(records);
        return Stamp(records, time, static r => r.Timestamp is null, static (r, now) => r with { Timestamp = now });
    }

    public static EvaluationRecord[] Evaluations(IReadOnlyList<EvaluationRecord> records, TimeProvider time)
    {
        StoreJson.CheckEvaluations(records);
        return Stamp(records, time, static r => r.EvaluatedAt is null, static (r, now) => r with { EvaluatedAt = now });
    }

    private static T[] Stamp<T>(IReadOnlyList<T> records, TimeProvider time, Func<T, bool> undated, Func<T, DateTimeOffset, T> dated)
    {
        var stamped = new T[records.Count];
        DateTimeOffset? now = null;
        for (var i = 0; i < stamped.Length; i++)
        {
            var record = records[i];
            stamped[i] = undated(record) ? dated(record, now ??= time.GetUtcNow()) : record;
        }

        return stamped;
    }
}
