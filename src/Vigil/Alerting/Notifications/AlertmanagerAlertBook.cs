using Vigil.Reports;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// The alerts a team's Alertmanager reports firing (<c>POST /v1/alertmanager</c>), by fingerprint: an
/// <see cref="IActiveAlertSource"/>, so they show in <c>GET /v1/alerts</c> and the report beside Vigil's own. It turns
/// what Alertmanager sends again and again (every <c>repeat_interval</c>, every change of the group) into one state
/// change per firing and one per resolve, published to the <see cref="IAlertStateChangeSink"/>. Bounded: past
/// <see cref="Capacity"/> alerts firing, a new one is still notified but not kept.
/// </summary>
public sealed class AlertmanagerAlertBook : IActiveAlertSource
{
    /// <summary>The default bound on alerts kept firing, and on resolved fingerprints remembered.</summary>
    public const int DefaultCapacity = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AlertStateChange> _firing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resolved = new(StringComparer.Ordinal);
    private readonly Queue<string> _resolvedOrder = new();
    private readonly IAlertStateChangeSink _sink;

    /// <summary>A book publishing to <paramref name="sink"/>.</summary>
    public AlertmanagerAlertBook(IAlertStateChangeSink sink, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _sink = sink;
        Capacity = capacity;
    }

    /// <summary>Alerts kept firing at most.</summary>
    public int Capacity { get; }

    /// <inheritdoc />
    public IReadOnlyList<AlertFigures> Active
    {
        get
        {
            lock (_gate)
            {
                return [.. _firing.Values.OrderBy(a => a.StartsAt).ThenBy(a => a.Name, StringComparer.Ordinal).Select(Figures)];
            }
        }
    }

    /// <summary>
    /// Takes the alerts of one webhook body, in order, and publishes those that changed state: a fingerprint not
    /// firing yet that fires, and one that resolves (unless its resolve was already published).
    /// </summary>
    /// <returns>How many state changes were published.</returns>
    public int Receive(IEnumerable<AlertStateChange> alerts)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        var changes = new List<AlertStateChange>();
        lock (_gate)
        {
            foreach (var alert in alerts)
            {
                if (alert.Status == AlertStatus.Firing)
                {
                    var known = _firing.ContainsKey(alert.Fingerprint);
                    if (known || _firing.Count < Capacity)
                    {
                        _firing[alert.Fingerprint] = alert; // annotations may have changed: the latest shows
                    }

                    if (!known)
                    {
                        _resolved.Remove(alert.Fingerprint);
                        changes.Add(alert);
                    }
                }
                else if (_firing.Remove(alert.Fingerprint) || !_resolved.Contains(alert.Fingerprint))
                {
                    // An unknown one (a restart since it fired) is still told: a missed resolve leaves a page open.
                    RememberResolved(alert.Fingerprint);
                    changes.Add(alert);
                }
            }
        }

        foreach (var change in changes)
        {
            _sink.Publish(change);
        }

        return changes.Count;
    }

    private void RememberResolved(string fingerprint)
    {
        if (!_resolved.Add(fingerprint))
        {
            return;
        }

        _resolvedOrder.Enqueue(fingerprint);
        while (_resolvedOrder.Count > Capacity)
        {
            _resolved.Remove(_resolvedOrder.Dequeue());
        }
    }

    private static AlertFigures Figures(AlertStateChange alert) => new(
        alert.Name,
        alert.Severity.ToLabel(),
        "firing",
        alert.StartsAt,
        alert.Value,
        alert.Labels,
        alert.Annotations.TryGetValue("summary", out var summary) ? summary : string.Empty,
        alert.Annotations.TryGetValue("runbook_url", out var runbook) ? runbook : null)
    {
        Source = alert.Source,
    };
}
