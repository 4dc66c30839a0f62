using Vigil.Drift;
using Vigil.Embeddings;
using Vigil.Metrics;
using Vigil.Reports;

namespace Vigil.Server.Drift;

// The publishing: the last round as gauges (embedding_drift_distance, llm_drift_score) and as the report's typed drift figures.
public sealed partial class EmbeddingDriftWatch
{
    /// <summary>The report with the watch's entries in its <c>drift</c> (<see cref="Describe"/>).</summary>
    public HealthReport AddTo(HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with { Drift = Describe(report.Drift) };
    }

    /// <summary>
    /// Adds to a report's <c>drift</c> object <c>embedding</c> — the watch: <c>is_drifting</c>, <c>severity</c> and
    /// <c>drift_score</c> over the methods (the <c>llm_drift_score</c> value), <c>drift_type</c>, <c>ready</c>,
    /// <c>source</c>, the sets' counts and sizes, <c>vectors_seen</c>, <c>pending_texts</c>, <c>dropped</c> by reason,
    /// <c>evaluated_at</c> — and one entry a method: <c>embedding_cosine</c>, <c>embedding_euclidean</c>,
    /// <c>embedding_mmd</c>, <c>embedding_ks</c>. A method's entry has the fields of <c>vigil drift --format json</c> for
    /// that method and <c>ready</c>, <c>drift_score</c>, <c>reference_count</c>, <c>current_count</c>,
    /// <c>vectors_seen</c>, <c>evaluated_at</c> of the last round; before the first round (the sets are not full yet)
    /// it is <c>{"is_drifting": false, "severity": "normal", "ready": false}</c> with the counts so far. Nothing is
    /// added when the watch is off, nor while it has seen no embedding (nor text for the local model) and has no pinned
    /// reference: the watch is on by default, and a collector whose records carry none keeps its report as it was.
    /// </summary>
    public DriftFigures Describe(DriftFigures drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        if (!Enabled || !HasSeenAnything())
        {
            return drift;
        }

        var last = Volatile.Read(ref _last);
        EmbeddingDriftFigures summary;
        lock (_gate)
        {
            summary = new EmbeddingDriftFigures
            {
                IsDrifting = last?.IsDrifting ?? false,
                Severity = last?.Severity ?? DriftSeverity.Normal,
                DriftScore = last?.Score,
                DriftType = DriftType(_source),
                Ready = last is not null,
                Source = _source switch { EmbeddingSource.Records => "records", EmbeddingSource.LocalModel => "local_model", _ => null },
                EmbeddingModel = _source == EmbeddingSource.LocalModel ? MiniLmEmbeddingGenerator.ModelId : null,
                Reference = _pinned ? "pinned" : "first_seen",
                ReferenceCount = _buffers.ReferenceCount,
                ReferenceSize = _buffers.ReferenceSize,
                CurrentCount = _buffers.CurrentCount,
                CurrentSize = _buffers.CurrentSize,
                Dimensions = _buffers.Dimensions == 0 ? null : _buffers.Dimensions,
                VectorsSeen = _buffers.Version,
                PendingTexts = _referenceTexts.Count + _currentTexts.Count + _inFlightReference,
                Dropped = new Dictionary<string, long>(_droppedByReason, StringComparer.Ordinal),
                EvaluatedAt = last?.EvaluatedAt,
                IntervalSeconds = _options.Interval.TotalSeconds,
                Error = _modelError,
            };
        }

        EmbeddingMethodFigures? Method(string method) =>
            !MethodNames(_methods).Contains(method) ? null
            : last?.Entries.TryGetValue(method, out var entry) == true ? entry
            : EmbeddingMethodFigures.NotReady(summary.ReferenceCount, summary.CurrentCount);
        return drift with
        {
            Embedding = summary,
            EmbeddingCosine = Method("cosine"),
            EmbeddingEuclidean = Method("euclidean"),
            EmbeddingMmd = Method("mmd"),
            EmbeddingKs = Method("ks"),
        };
    }

    // A round's figures: the gauges first (once the report shows a round, /metrics shows it too), then the report's.
    private RunResult PublishRound(DriftReport report, Dictionary<string, double> scores, int referenceCount, int currentCount, long version, EmbeddingSource? source)
    {
        var evaluatedAt = _time.GetUtcNow();

        // The fields of `vigil drift --format json`, keyed by method, with the run's context beside them.
        var entries = EmbeddingMethodFigures.Of(report, scores, referenceCount, currentCount, version, evaluatedAt);

        var severity = new[] { report.Cosine?.Severity, report.Euclidean?.Severity, report.Mmd?.Severity, report.Ks?.Severity }.Max() ?? DriftSeverity.Normal;
        var score = scores.Values.Max();
        Publish(report, score, source);
        var round = new RunResult(entries, severity != DriftSeverity.Normal, severity, score, evaluatedAt);
        Volatile.Write(ref _last, round);
        return round;
    }

    private void Publish(DriftReport report, double score, EmbeddingSource? source)
    {
        var metrics = _metrics!;
        var model = new KeyValuePair<string, object?>(MetricTags.Model, ModelLabel);
        if (metrics.EmbeddingDriftDistance.Enabled)
        {
            void Set(string metric, double value) => metrics.EmbeddingDriftDistance.Record(value, model, new(MetricTags.Metric, metric));
            if (report.Cosine is { } cosine)
            {
                Set("cosine", cosine.Distance);
            }

            if (report.Euclidean is { } euclidean)
            {
                Set("euclidean", euclidean.Distance);
            }

            if (report.Mmd is { } mmd)
            {
                Set("mmd", mmd.Mmd2);
            }

            if (report.Ks is { } ks)
            {
                Set("ks", ks.DriftRatio);
            }
        }

        if (metrics.DriftScore.Enabled)
        {
            metrics.DriftScore.Record(score, model, new(MetricTags.DriftType, DriftType(source)));
        }
    }

    private static string DriftType(EmbeddingSource? source) => source == EmbeddingSource.LocalModel ? "topic" : "embedding";

    private static IEnumerable<string> MethodNames(DriftMethods methods)
    {
        if (methods.HasFlag(DriftMethods.Cosine))
        {
            yield return "cosine";
        }

        if (methods.HasFlag(DriftMethods.Euclidean))
        {
            yield return "euclidean";
        }

        if (methods.HasFlag(DriftMethods.Mmd))
        {
            yield return "mmd";
        }

        if (methods.HasFlag(DriftMethods.Ks))
        {
            yield return "ks";
        }
    }

    /// <summary>The last round's result: the method entries for the report and the overall verdict.</summary>
    private sealed record RunResult(IReadOnlyDictionary<string, EmbeddingMethodFigures> Entries, bool IsDrifting, DriftSeverity Severity, double Score, DateTimeOffset EvaluatedAt);

    private bool HasSeenAnything()
    {
        lock (_gate)
        {
            return _pinned || _source is not null;
        }
    }
}
