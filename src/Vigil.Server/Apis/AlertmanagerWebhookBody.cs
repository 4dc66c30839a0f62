using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;
using Vigil.Server.Ingest;

namespace Vigil.Server.Apis;

/// <summary>
/// Reads Alertmanager's webhook body, version 4: <c>version</c> "4" and an <c>alerts</c> array, each alert with
/// <c>status</c> firing or resolved, <c>labels</c> (strings, <c>alertname</c> among them), optional
/// <c>annotations</c> (strings), <c>startsAt</c> and, when given, <c>endsAt</c> in RFC 3339, and an optional
/// <c>fingerprint</c> (computed as Alertmanager does when missing). Each alert becomes an <see cref="AlertStateChange"/>
/// with source <c>alertmanager</c> and the severity of its <c>severity</c> label (unknown: warning). Every error names
/// its field (<c>alerts[2].labels.alertname</c>); one error rejects the whole body.
/// </summary>
internal static partial class AlertmanagerWebhookBody
{
    /// <summary>The source of the state changes it makes.</summary>
    public const string Source = "alertmanager";

    /// <summary>Alerts taken in one body at most.</summary>
    public const int MaxAlerts = 10_000;

    private const int MaxErrors = 10;

    /// <summary>The alerts of <paramref name="body"/>, or the errors that reject it.</summary>
    public static (List<AlertStateChange> Alerts, List<RecordError> Errors) Parse(ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var alerts = new List<AlertStateChange>();
        var errors = new List<RecordError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            errors.Add(new(null, "$", $"The body is not valid JSON: {ex.Message}"));
            return (alerts, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new(null, "$", "The body must be a JSON object (Alertmanager's webhook, version 4)."));
                return (alerts, errors);
            }

            if (!root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "4")
            {
                errors.Add(new(null, "version", "Must be \"4\": only Alertmanager's webhook version 4 is understood."));
            }

            if (!root.TryGetProperty("alerts", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new(null, "alerts", "Must be an array of alerts."));
                return (alerts, errors);
            }

            if (list.GetArrayLength() > MaxAlerts)
            {
                errors.Add(new(null, "alerts", $"Holds more than {MaxAlerts} alerts."));
                return (alerts, errors);
            }

            var index = 0;
            foreach (var alert in list.EnumerateArray())
            {
                if (errors.Count >= MaxErrors)
                {
                    break;
                }

                if (Read(alert, $"alerts[{index}]", now, errors) is { } change)
                {
                    alerts.Add(change);
                }

                index++;
            }
        }

        return (alerts, errors);
    }

    private static AlertStateChange? Read(JsonElement alert, string at, DateTimeOffset now, List<RecordError> errors)
    {
        if (alert.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(null, at, "Must be an alert object."));
            return null;
        }

        var before = errors.Count;
        AlertStatus status = default;
        if (!alert.TryGetProperty("status", out var statusElement) || statusElement.ValueKind != JsonValueKind.String
            || !TryStatus(statusElement.GetString(), out status))
        {
            errors.Add(new(null, at + ".status", "Must be \"firing\" or \"resolved\"."));
        }

        var labels = Strings(alert, "labels", at, required: true, errors);
        if (labels is not null && (!labels.TryGetValue("alertname", out var name) || string.IsNullOrWhiteSpace(name)))
        {
            errors.Add(new(null, at + ".labels.alertname", "Every alert needs a non-empty alertname label."));
        }

        var annotations = Strings(alert, "annotations", at, required: false, errors) ?? [];
        var startsAt = Time(alert, "startsAt", at, required: true, errors);
        var endsAt = Time(alert, "endsAt", at, required: false, errors);
        string? fingerprint = null;
        if (alert.TryGetProperty("fingerprint", out var fingerprintElement) && fingerprintElement.ValueKind != JsonValueKind.Null)
        {
            fingerprint = fingerprintElement.ValueKind == JsonValueKind.String ? fingerprintElement.GetString() : null;
            if (string.IsNullOrWhiteSpace(fingerprint) || fingerprint.Length > 128)
            {
                errors.Add(new(null, at + ".fingerprint", "Must be a non-empty string of at most 128 characters when given."));
            }
        }

        if (errors.Count > before || labels is null || startsAt is null)
        {
            return null;
        }

        var resolved = status == AlertStatus.Resolved;
        return new AlertStateChange(
            labels["alertname"],
            Severity(labels.GetValueOrDefault("severity")),
            status,
            labels,
            annotations,
            startsAt.Value,
            resolved ? endsAt ?? now : null,
            annotations.TryGetValue("value", out var value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null,
            fingerprint ?? LabelFingerprint.Compute(labels),
            Source);
    }

    /// <summary>The severity a <c>severity</c> label names; anything else is a warning.</summary>
    public static AlertSeverity Severity(string? label) => label?.Trim().ToUpperInvariant() switch
    {
        "CRITICAL" => AlertSeverity.Critical,
        "HIGH" => AlertSeverity.High,
        "INFO" => AlertSeverity.Info,
        _ => AlertSeverity.Warning,
    };

    private static bool TryStatus(string? text, out AlertStatus status)
    {
        status = text == "resolved" ? AlertStatus.Resolved : AlertStatus.Firing;
        return text is "firing" or "resolved";
    }

    private static Dictionary<string, string>? Strings(JsonElement alert, string property, string at, bool required, List<RecordError> errors)
    {
        if (!alert.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new(null, $"{at}.{property}", "Is required: an object of string values."));
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(null, $"{at}.{property}", "Must be an object of string values."));
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in element.EnumerateObject())
        {
            if (pair.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(new(null, $"{at}.{property}.{pair.Name}", "Must be a string."));
                return null;
            }

            map[pair.Name] = pair.Value.GetString()!;
        }

        return map;
    }

    private static DateTimeOffset? Time(JsonElement alert, string property, string at, bool required, List<RecordError> errors)
    {
        if (!alert.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new(null, $"{at}.{property}", "Is required: an RFC 3339 time."));
            }

            return null;
        }

        if (element.ValueKind != JsonValueKind.String || !TryRfc3339(element.GetString()!, out var time))
        {
            errors.Add(new(null, $"{at}.{property}", "Must be an RFC 3339 time, e.g. 2026-01-05T09:00:00Z."));
            return null;
        }

        // Alertmanager's zero time: not set.
        return time.Year <= 1 ? null : time;
    }

    private static bool TryRfc3339(string text, out DateTimeOffset time)
    {
        time = default;
        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            return false;
        }

        // Go writes nanoseconds; .NET keeps 100 ns ticks.
        var fraction = match.Groups["fraction"].Value;
        var normalized = fraction.Length > 8 ? text.Replace(fraction, fraction[..8], StringComparison.Ordinal) : text;
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?<fraction>\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();
}
