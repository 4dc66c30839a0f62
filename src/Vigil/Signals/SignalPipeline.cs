using Vigil.Costs;
using Vigil.Evaluation.Quality;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Slo;

namespace Vigil.Signals;

/// <summary>
/// The signal pipeline, the same in both hosts: records update the sliding window, the month's cost ledger, the metric
/// catalog and the quality watch, and the report of the last window comes from here. The collector feeds it what it
/// stores; an app with <c>AddVigil()</c> feeds it each call through <see cref="VigilMonitor"/>. Every figure is computed
/// by the core classes (<see cref="SignalAggregate"/>, <see cref="ReportBuilder"/>) that <c>vigil report</c> also uses.
/// </summary>
public sealed class SignalPipeline
{
    private readonly TimeProvider _time;
    private readonly MetricCatalogWriter _metrics;
    private readonly MonthlyCosts _months = new();
    private readonly ISignalObserver[] _observers;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="options">Window, SLO and budget.</param>
    /// <param name="prices">Prices for records that come without a cost.</param>
    /// <param name="metrics">The metric catalog's writer.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="quality">The quality watch; one without a drift gauge when null.</param>
    /// <param name="observers">Who else sees each counted record (the alert engine's counters, the responder's window).</param>
    public SignalPipeline(SignalOptions options, PriceCatalog prices, MetricCatalogWriter metrics, TimeProvider timeProvider, QualityWatch? quality = null,
        IEnumerable<ISignalObserver>? observers = null)
    {
        _observers = observers is null ? [] : [.. observers];
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Normalizer = new InteractionNormalizer(prices ?? throw new ArgumentNullException(nameof(prices)));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Window = new SlidingWindow(timeProvider, options.Window, options.WindowSlices);
        Quality = quality ?? new QualityWatch();

        // The budget the alert rules compare with (LLMBudgetWarning), read when metrics are collected.
        var budget = (double)options.MonthlyBudgetUsd;
        metrics.Metrics.Meter.CreateObservableGauge(MetricNames.BudgetMonthly, () => budget, unit: "USD",
            description: "The configured monthly budget (Vigil:Signals:MonthlyBudgetUsd).");
    }

    /// <summary>Fills in derived fields before a record is stored.</summary>
    public InteractionNormalizer Normalizer { get; }

    /// <summary>The sliding window.</summary>
    public SlidingWindow Window { get; }

    /// <summary>Quality drift and the recent hallucination rate.</summary>
    public QualityWatch Quality { get; }

    /// <summary>The options.</summary>
    public SignalOptions Options { get; }

    /// <summary>Seeds the month ledger with what the store holds for a month (at start).</summary>
    public void SeedMonthTotal(DateTimeOffset month, decimal totalUsd) => _months.Set(month, totalUsd);

    /// <summary>Adds a record read back from the store at start: window only (metrics start from zero).</summary>
    public void Restore(InteractionRecord stored)
    {
        Window.Add(stored);
        foreach (var observer in _observers)
        {
            observer.OnInteraction(stored, restored: true);
        }
    }

    /// <summary>Adds feedback read back from the store at start.</summary>
    public void Restore(FeedbackRecord stored)
    {
        Window.Add(stored);
        foreach (var observer in _observers)
        {
            observer.OnFeedback(stored, restored: true);
        }
    }

    /// <summary>Adds a verdict read back from the store at start (window only; see <see cref="RestoreQuality"/>).</summary>
    public void Restore(EvaluationRecord stored)
    {
        Window.Add(stored);
        foreach (var observer in _observers)
        {
            observer.OnEvaluation(stored, restored: true);
        }
    }

    /// <summary>Feeds a verdict read back from the store, in time order, to the quality watch (at start).</summary>
    public void RestoreQuality(EvaluationRecord stored) => Quality.Add(stored);

    /// <summary>
    /// A normalized interaction was stored, replacing <paramref name="replaced"/> if it was a repeat: window, ledger
    /// and metric catalog. A repeat replaces its earlier figures in the window and ledger; the catalog's counters only
    /// go up, so a repeat is not counted there again.
    /// </summary>
    public void OnStored(InteractionRecord stored, InteractionRecord? replaced)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (replaced is not null)
        {
            Window.Add(replaced, sign: -1);
            AddCost(replaced, -1);
        }
        else
        {
            _metrics.Write(stored);
            Observe(stored);
        }

        Window.Add(stored);
        AddCost(stored, 1);
    }

    /// <summary>
    /// A call measured in-process by <c>UseVigil()</c>, which wrote the metric catalog as the call ended: window and
    /// ledger only, so nothing is counted twice.
    /// </summary>
    public void OnMeasured(InteractionRecord measured)
    {
        ArgumentNullException.ThrowIfNull(measured);
        Window.Add(measured);
        AddCost(measured, 1);
        Observe(measured);
    }

    /// <summary>A feedback was stored.</summary>
    public void OnStored(FeedbackRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _metrics.Write(stored);
        Window.Add(stored);
        foreach (var observer in _observers)
        {
            observer.OnFeedback(stored, restored: false);
        }
    }

    /// <summary>A verdict was stored: window, quality watch, and a low-quality verdict in the catalog's errors.</summary>
    public void OnStored(EvaluationRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _metrics.Write(stored);
        Window.Add(stored);
        Quality.Add(stored);
        foreach (var observer in _observers)
        {
            observer.OnEvaluation(stored, restored: false);
        }
    }

    /// <summary>The report of the sliding window now.</summary>
    public HealthReport ReportWindow(IncidentFigures? incident = null)
    {
        var (aggregate, window) = Window.Snapshot();
        return Build(aggregate, window, incident);
    }

    /// <summary>The report of <paramref name="aggregate"/> (e.g. a store scan of from/to), budget judged now, with the watches' state now.</summary>
    public HealthReport Build(SignalAggregate aggregate, ReportWindow window, IncidentFigures? incident = null)
    {
        var now = _time.GetUtcNow();
        return Quality.AddTo(ReportBuilder.Build(aggregate, window, Options, now, _months.TotalOf(now), incident));
    }

    private void Observe(InteractionRecord interaction)
    {
        foreach (var observer in _observers)
        {
            observer.OnInteraction(interaction, restored: false);
        }
    }

    private void AddCost(InteractionRecord record, int sign)
    {
        if (record.CostUsd is { } cost)
        {
            _months.Add(record.Timestamp, cost, sign);
        }
    }
}
