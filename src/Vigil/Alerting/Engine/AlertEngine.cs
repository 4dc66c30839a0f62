using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vigil.Reports;

namespace Vigil.Alerting.Engine;

/// <summary>
/// Vigil's own alert engine: evaluates the catalog's rules (their C# <see cref="AlertRule.Condition"/>) against the
/// counters' history and the gauges now, and keeps each alert series' state as Prometheus does — inactive, pending
/// while the condition holds (since its first true evaluation), firing once it has held for the rule's <c>for</c>
/// (at once for 0), resolved when it stops holding (a pending one just goes). Each firing and resolve is published to
/// the <see cref="IAlertStateChangeSink"/>, if any. Thread-safe; <see cref="Evaluate"/> is called by the engine's
/// loop every <c>Vigil:Alerting:Engine:EvaluationInterval</c>.
/// </summary>
public sealed partial class AlertEngine : IActiveAlertSource
{
    private readonly IAlertGaugeSource[] _gauges;
    private readonly TimeProvider _time;
    private readonly IAlertStateChangeSink? _sink;
    private readonly string _runbookBaseUrl;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ActiveAlert> _alerts = new(StringComparer.Ordinal);
    private volatile AlertFigures[] _active = [];

    /// <summary>Creates the engine.</summary>
    /// <param name="history">The counters' history, fed by <see cref="AlertSignalObserver"/>.</param>
    /// <param name="gauges">The gauges read at each evaluation.</param>
    /// <param name="time">The clock.</param>
    /// <param name="sink">Where state changes go; none when null.</param>
    /// <param name="rules">The rules; the whole catalog (<see cref="AlertRuleCatalog.Rules"/>) when null.</param>
    /// <param name="runbookBaseUrl">Prefix of the <c>runbook_url</c> annotation.</param>
    /// <param name="logger">Where a failing rule or gauge is logged.</param>
    public AlertEngine(
        SignalHistory history, IEnumerable<IAlertGaugeSource>? gauges = null, TimeProvider? time = null, IAlertStateChangeSink? sink = null,
        IReadOnlyList<AlertRule>? rules = null, string runbookBaseUrl = PrometheusRuleFile.DefaultRunbookBaseUrl, ILogger<AlertEngine>? logger = null)
    {
        History = history ?? throw new ArgumentNullException(nameof(history));
        _gauges = gauges is null ? [] : [.. gauges];
        _time = time ?? TimeProvider.System;
        _sink = sink;
        Rules = rules ?? AlertRuleCatalog.Rules;
        _runbookBaseUrl = runbookBaseUrl ?? throw new ArgumentNullException(nameof(runbookBaseUrl));
        _logger = logger ?? NullLogger<AlertEngine>.Instance;
    }

    /// <summary>The rules evaluated.</summary>
    public IReadOnlyList<AlertRule> Rules { get; }

    /// <summary>The counters' history.</summary>
    public SignalHistory History { get; }

    /// <summary>The alerts pending or firing after the last evaluation (the contract's shape).</summary>
    public IReadOnlyList<AlertFigures> Active => _active;

    /// <summary>The alerts pending or firing after the last evaluation.</summary>
    public IReadOnlyList<ActiveAlert> Alerts
    {
        get
        {
            lock (_gate)
            {
                return [.. _alerts.Values];
            }
        }
    }

    /// <summary>
    /// Evaluates every rule now and moves each alert series' state; publishes firing and resolved changes.
    /// Returns true when the set of pending and firing alerts or a state or <c>since</c> changed (worth saving).
    /// </summary>
    public bool Evaluate()
    {
        var now = _time.GetUtcNow();
        var view = new SignalView(History, ReadGauges(), now);
        var changes = new List<AlertStateChange>();
        var changed = false;
        lock (_gate)
        {
            foreach (var rule in Rules)
            {
                AlertVector result;
                try
                {
                    result = rule.Condition(view);
                }
#pragma warning disable CA1031 // One failing rule must not stop the others; its alerts keep their state.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRuleFailed(_logger, ex, rule.Name);
                    continue;
                }

                changed |= Apply(rule, result, now, changes);
            }

            _active = [.. _alerts.Values.Select(a => a.ToFigures())];
        }

        foreach (var change in changes)
        {
            _sink?.Publish(change);
        }

        return changed;
    }

    /// <summary>
    /// Takes back the alerts saved before a restart (before the first evaluation): a firing one stays firing with its
    /// <c>since</c> and is not announced again; the first evaluation resolves it if its condition no longer holds.
    /// Alerts of rules no longer in the catalog are dropped.
    /// </summary>
    public void Restore(IEnumerable<StoredAlertState> saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        lock (_gate)
        {
            foreach (var alert in saved)
            {
                var rule = Rules.FirstOrDefault(r => r.Name == alert.Name);
                if (rule is null || _alerts.ContainsKey(alert.Fingerprint))
                {
                    continue;
                }

                var state = alert.State == "firing" ? AlertState.Firing : AlertState.Pending;
                _alerts[alert.Fingerprint] = new ActiveAlert(
                    rule, alert.Labels, alert.Fingerprint, state, alert.Since, alert.Value, Annotations(rule, alert.Value ?? double.NaN, alert.Labels));
            }

            _active = [.. _alerts.Values.Select(a => a.ToFigures())];
        }
    }

    /// <summary>The pending and firing alerts, as <see cref="IAlertStateStore"/> saves them.</summary>
    public IReadOnlyList<StoredAlertState> Snapshot()
    {
        lock (_gate)
        {
            return [.. _alerts.Values.Select(a => new StoredAlertState(
                a.Fingerprint, a.Rule.Name, a.Labels, a.State == AlertState.Firing ? "firing" : "pending", a.Since, a.Value))];
        }
    }

    private bool Apply(AlertRule rule, AlertVector result, DateTimeOffset now, List<AlertStateChange> changes)
    {
        var changed = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sample in result.Samples)
        {
            var labels = LabelsOf(rule, sample.Labels);
            var fingerprint = AlertFingerprint.Of(labels);
            seen.Add(fingerprint);
            var annotations = Annotations(rule, sample.Value, labels);
            if (!_alerts.TryGetValue(fingerprint, out var alert))
            {
                alert = new ActiveAlert(rule, labels, fingerprint, AlertState.Pending, now, sample.Value, annotations);
                changed = true;
            }
            else
            {
                alert = alert with { Value = sample.Value, Annotations = annotations };
            }

            if (alert.State == AlertState.Pending && now - alert.Since >= rule.For)
            {
                alert = alert with { State = AlertState.Firing };
                changes.Add(alert.ToChange(AlertStatus.Firing, null));
                changed = true;
            }

            _alerts[fingerprint] = alert;
        }

        foreach (var (fingerprint, alert) in _alerts.Where(p => p.Value.Rule.Name == rule.Name && !seen.Contains(p.Key)).ToList())
        {
            _alerts.Remove(fingerprint);
            changed = true;
            if (alert.State == AlertState.Firing)
            {
                changes.Add(alert.ToChange(AlertStatus.Resolved, now));
            }
        }

        return changed;
    }

    private static Dictionary<string, string> LabelsOf(AlertRule rule, IReadOnlyDictionary<string, string> series)
    {
        var labels = new Dictionary<string, string>(series, StringComparer.Ordinal)
        {
            ["alertname"] = rule.Name,
            ["severity"] = rule.Severity.ToLabel(),
            ["team"] = AlertRuleCatalog.Team,
        };
        return labels;
    }

    private Dictionary<string, string> Annotations(AlertRule rule, double value, IReadOnlyDictionary<string, string> labels) => new(StringComparer.Ordinal)
    {
        ["summary"] = rule.Summary,
        ["description"] = AlertTemplate.Render(rule.Description, value, labels),
        ["runbook_url"] = _runbookBaseUrl + rule.RunbookFileName,
    };

    private List<GaugeSample> ReadGauges()
    {
        var samples = new List<GaugeSample>();
        foreach (var source in _gauges)
        {
            try
            {
                samples.AddRange(source.Read());
            }
#pragma warning disable CA1031 // A failing gauge leaves its rules without series this round, nothing more.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogGaugeFailed(_logger, ex, source.GetType().Name);
            }
        }

        return samples;
    }

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Alert rule {Rule} failed to evaluate; its alerts keep their state.")]
    private static partial void LogRuleFailed(ILogger logger, Exception exception, string rule);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Alert gauge source {Source} failed to read.")]
    private static partial void LogGaugeFailed(ILogger logger, Exception exception, string source);
}
