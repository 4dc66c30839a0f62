using System.Text.Json.Nodes;
using Vigil.Drift;
using Vigil.Evaluation.Quality;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;

namespace Vigil.Server.Evaluation;

/// <summary>
/// Quality drift per rubric dimension and the hallucination rate of the last verdicts, fed by every stored verdict
/// (online judge or any other), exported as <c>llm_drift_score{drift_type="quality_…"}</c> and shown in the report:
/// <c>drift.quality_&lt;dimension&gt;</c> and <c>quality.recent_hallucinations</c>. On start the detectors are rebuilt
/// from the verdicts of the last <see cref="RestoreSpan"/>, in time order, so a restart keeps the reference.
/// </summary>
public sealed class QualityWatch : IHostedService, IIngestObserver
{
    /// <summary>How far back the detectors are rebuilt from on start.</summary>
    public static readonly TimeSpan RestoreSpan = TimeSpan.FromDays(30);

    private readonly IngestWriter _writer;
    private readonly IVigilStore _store;
    private readonly TimeProvider _time;
    private readonly QualityDriftMonitor _drift;
    private readonly HallucinationRateMonitor _hallucinations = new();
    private readonly Lock _gate = new();

    /// <summary>Creates the watch.</summary>
    public QualityWatch(IngestWriter writer, IVigilStore store, VigilMetrics metrics, TimeProvider time, QualityDriftOptions? options = null)
    {
        _writer = writer;
        _store = store;
        _time = time;
        _drift = new QualityDriftMonitor("default", options, metrics);
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        await foreach (var evaluation in _store.ReadEvaluationsAsync(now - RestoreSpan, now.AddMinutes(5), cancellationToken).ConfigureAwait(false))
        {
            Add(evaluation);
        }

        _writer.AddObserver(this);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public void OnEvaluationsStored(IReadOnlyList<EvaluationRecord> stored)
    {
        foreach (var evaluation in stored)
        {
            Add(evaluation);
        }
    }

    /// <summary>Adds the drift entries (<c>quality_&lt;dimension&gt;</c>) to a report's <c>drift</c> object.</summary>
    public void Describe(JsonObject drift)
    {
        ArgumentNullException.ThrowIfNull(drift);
        foreach (var (dimension, state) in _drift.States())
        {
            drift[QualityDimensions.DriftType(dimension)] = new JsonObject
            {
                ["is_drifting"] = state.IsDrifting,
                ["severity"] = state.Severity switch { DriftSeverity.Critical => "critical", DriftSeverity.Warning => "warning", _ => "normal" },
                ["z_score"] = state.ZScore,
                ["p_value"] = state.PValue,
                ["reference_mean"] = state.ReferenceMean,
                ["detection_mean"] = state.DetectionMean,
                ["reference_count"] = state.ReferenceCount,
                ["detection_count"] = state.DetectionCount,
                ["ready"] = state.IsReady,
            };
        }
    }

    /// <summary>The hallucination rate of the last verdicts, by severity.</summary>
    public JsonObject RecentHallucinations()
    {
        HallucinationRate rate;
        lock (_gate)
        {
            rate = _hallucinations.Current();
        }

        return new JsonObject
        {
            ["verdicts"] = rate.Total,
            ["window"] = _hallucinations.WindowSize,
            ["rate"] = rate.Rate,
            ["by_severity"] = new JsonObject { ["low"] = rate.Low, ["medium"] = rate.Medium, ["high"] = rate.High },
        };
    }

    private void Add(EvaluationRecord evaluation)
    {
        _drift.Add(evaluation);
        lock (_gate)
        {
            _hallucinations.Record(evaluation);
        }
    }
}
