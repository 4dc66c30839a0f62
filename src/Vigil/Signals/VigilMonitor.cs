using Vigil.Records;
using Vigil.Reports;
using Vigil.Sinks;

namespace Vigil.Signals;

/// <summary>
/// The signal pipeline inside an app (<c>AddVigil()</c>): every call through <c>UseVigil()</c>, and every feedback the
/// app records through Vigil, feeds it, and <see cref="GetReport"/> gives the same report as the collector's
/// <c>GET /v1/report</c> for the same records. Records handed in by hand (<see cref="Record(InteractionRecord)"/>) are
/// normalized and counted as the collector counts them. There is no store in-process: a repeated trace id counts again.
/// </summary>
public sealed class VigilMonitor : IInteractionSink
{
    private readonly SignalPipeline _pipeline;
    private readonly ReportContributors _contributors;

    /// <summary>Hosts <paramref name="pipeline"/>; <paramref name="contributors"/> add the watches' state to its reports.</summary>
    public VigilMonitor(SignalPipeline pipeline, ReportContributors? contributors = null)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _contributors = contributors ?? ReportContributors.None;
    }

    /// <summary>The pipeline.</summary>
    public SignalPipeline Pipeline => _pipeline;

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <summary>The health report of the last window (the seed's <c>get_health_report</c>), typed; serialize it with <see cref="ReportJsonContext"/>.</summary>
    public HealthReport GetReport(IncidentFigures? incident = null) => _contributors.AddTo(_pipeline.ReportWindow(incident));

    /// <summary>Counts an interaction the app measured itself: window, ledger and metric catalog, as the collector does.</summary>
    public void Record(InteractionRecord interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        _pipeline.OnStored(_pipeline.Normalizer.Normalize(interaction), replaced: null);
    }

    /// <summary>Counts a feedback.</summary>
    public void Record(FeedbackRecord feedback) => _pipeline.OnStored(feedback ?? throw new ArgumentNullException(nameof(feedback)));

    /// <summary>Counts a judge's verdict.</summary>
    public void Record(EvaluationRecord evaluation) => _pipeline.OnStored(evaluation ?? throw new ArgumentNullException(nameof(evaluation)));

    /// <summary>
    /// A call measured by <c>UseVigil()</c>, which already wrote the metric catalog and priced the record with the same
    /// catalog and classifier: it needs no normalizing.
    /// </summary>
    bool IInteractionSink.Emit(InteractionRecord record)
    {
        _pipeline.OnMeasured(record);
        return true;
    }

    /// <summary>A feedback the app recorded through Vigil.</summary>
    bool IInteractionSink.Emit(FeedbackRecord feedback)
    {
        _pipeline.OnStored(feedback);
        return true;
    }
}
