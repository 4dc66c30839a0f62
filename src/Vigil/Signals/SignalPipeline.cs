using Vigil.Costs;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Slo;

namespace Vigil.Signals;

/// <summary>
/// The signal pipeline the collector runs behind HTTP: stored records update the sliding window, the
/// month's cost ledger and the metric catalog; the report of the last window comes from here. Every
/// figure is computed by the core classes (<see cref="SignalAggregate"/>, <see cref="ReportBuilder"/>)
/// that <c>vigil report</c> also uses.
/// </summary>
public sealed class SignalPipeline
{
    private readonly SignalOptions _options;
    private readonly TimeProvider _time;
    private readonly RecordMetricsRecorder _metrics;
    private readonly Dictionary<int, decimal> _monthTotals = [];
    private readonly Lock _ledgerGate = new();

    /// <summary>Creates the pipeline.</summary>
    public SignalPipeline(SignalOptions options, PriceCatalog prices, RecordMetricsRecorder metrics, TimeProvider timeProvider)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        Normalizer = new InteractionNormalizer(prices ?? throw new ArgumentNullException(nameof(prices)));
        _metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        Window = new SlidingWindow(timeProvider, options.Window, options.WindowSlices);
    }

    /// <summary>Fills in derived fields before a record is stored.</summary>
    public InteractionNormalizer Normalizer { get; }

    /// <summary>The sliding window.</summary>
    public SlidingWindow Window { get; }

    /// <summary>The options.</summary>
    public SignalOptions Options => _options;

    /// <summary>Seeds the month ledger with what the store holds for a month (at start).</summary>
    public void SeedMonthTotal(DateTimeOffset month, decimal totalUsd)
    {
        lock (_ledgerGate)
        {
            _monthTotals[CostLedger.MonthKey(month)] = totalUsd;
        }
    }

    /// <summary>Adds a record read back from the store at start: window only (metrics start from zero).</summary>
    public void Restore(InteractionRecord stored) => Window.Add(stored);

    /// <summary>Adds feedback read back from the store at start.</summary>
    public void Restore(FeedbackRecord stored) => Window.Add(stored);

    /// <summary>Adds a verdict read back from the store at start.</summary>
    public void Restore(EvaluationRecord stored) => Window.Add(stored);

    /// <summary>
    /// A normalized interaction was committed, replacing <paramref name="replaced"/> if it was a repeat.
    /// A repeat replaces its earlier figures in the window and ledger; the catalog's counters only go up,
    /// so a repeat is not counted there again.
    /// </summary>
    public void OnStored(InteractionRecord stored, InteractionRecord? replaced)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (replaced is not null)
        {
            Window.Add(replaced, sign: -1);
            AddToLedger(replaced, -1);
        }
        else
        {
            _metrics.Record(stored);
        }

        Window.Add(stored);
        AddToLedger(stored, 1);
    }

    /// <summary>A feedback was committed.</summary>
    public void OnStored(FeedbackRecord stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        _metrics.Record(stored);
        Window.Add(stored);
    }

    /// <summary>A verdict was committed.</summary>
    public void OnStored(EvaluationRecord stored) => Window.Add(stored);

    /// <summary>The report of the sliding window now.</summary>
    public HealthReport ReportWindow(string incidentMode = "normal")
    {
        var (aggregate, window) = Window.Snapshot();
        return Build(aggregate, window, incidentMode);
    }

    /// <summary>The report of <paramref name="aggregate"/> (e.g. a store scan of from/to), budget judged now.</summary>
    public HealthReport Build(SignalAggregate aggregate, ReportWindow window, string incidentMode = "normal")
    {
        var now = _time.GetUtcNow();
        decimal monthTotal;
        lock (_ledgerGate)
        {
            monthTotal = _monthTotals.GetValueOrDefault(CostLedger.MonthKey(now));
        }

        return ReportBuilder.Build(aggregate, window, _options, now, monthTotal, incidentMode);
    }

    private void AddToLedger(InteractionRecord record, int sign)
    {
        if (record.CostUsd is not { } cost || cost == 0)
        {
            return;
        }

        lock (_ledgerGate)
        {
            var key = CostLedger.MonthKey(record.Timestamp);
            _monthTotals[key] = _monthTotals.GetValueOrDefault(key) + (sign * cost);
        }
    }
}
