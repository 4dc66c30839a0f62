using Vigil.Alerting;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>State changes of one alert series, as Vigil's engine publishes them.</summary>
public static class AlertChanges
{
    public static readonly DateTimeOffset StartsAt = new(2026, 1, 5, 8, 58, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset EndsAt = new(2026, 1, 5, 9, 20, 0, TimeSpan.Zero);

    public static AlertStateChange Firing(
        string name = "LLMSuccessRateCritical",
        AlertSeverity severity = AlertSeverity.Critical,
        string runbookUrl = "https://runbooks.example.com/LLMSuccessRateCritical.md",
        string? summary = null,
        IReadOnlyDictionary<string, string>? extraLabels = null)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["alertname"] = name,
            ["severity"] = severity.ToLabel(),
            ["team"] = "ai-platform",
        };
        foreach (var (key, value) in extraLabels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = summary ?? "LLM API success rate below 95%",
            ["description"] = "Success rate over the last 5 minutes: 91.2%, for more than 2 minutes.",
            ["runbook_url"] = runbookUrl,
        };
        return new AlertStateChange(name, severity, AlertStatus.Firing, labels, annotations, StartsAt, null, 0.912,
            "3f2a9c1d5e7b8a60", "vigil");
    }

    public static AlertStateChange Resolved(AlertStateChange firing) =>
        firing with { Status = AlertStatus.Resolved, EndsAt = EndsAt, Value = 0.99 };
}
