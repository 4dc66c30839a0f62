using System.Text.Json;
using Vigil.Alerting.Engine;

namespace Vigil.Server.Storage.Alerts;

/// <summary>How an alert state is written to a row of <c>alert_states</c>: labels as JSON, <c>since</c> in Unix milliseconds.</summary>
internal static class AlertStateRows
{
    public const string Table = "alert_states";

    public static string Labels(StoredAlertState alert) =>
        JsonSerializer.Serialize(new Dictionary<string, string>(alert.Labels, StringComparer.Ordinal), AlertStateJsonContext.Default.DictionaryStringString);

    public static StoredAlertState Read(string fingerprint, string name, string labels, string state, long sinceMs, double? value) =>
        new(fingerprint, name,
            JsonSerializer.Deserialize(labels, AlertStateJsonContext.Default.DictionaryStringString) ?? new Dictionary<string, string>(StringComparer.Ordinal),
            state, DateTimeOffset.FromUnixTimeMilliseconds(sinceMs), value);
}
