using System.Data.Common;
using Vigil.Incidents;

namespace Vigil.Server.Storage.Incidents;

/// <summary>How an entry is laid out in <c>incident_log</c>, the same for SQLite and PostgreSQL.</summary>
internal static class IncidentLogColumns
{
    /// <summary>The columns read back, in this order.</summary>
    public const string Select = "ts_us, action, severity, mode, from_mode, reason, manual";

    /// <summary>An entry from a row of <see cref="Select"/>.</summary>
    public static IncidentLogEntry Read(DbDataReader reader)
    {
        var micros = reader.GetInt64(0);
        var action = Enum.GetValues<IncidentAction>().First(a => IncidentLabels.Of(a) == reader.GetString(1));
        IncidentSeverity? severity = reader.IsDBNull(2) ? null : Enum.GetValues<IncidentSeverity>().First(s => IncidentLabels.Of(s) == reader.GetString(2));
        _ = IncidentLabels.TryParse(reader.GetString(3), out var mode);
        _ = IncidentLabels.TryParse(reader.GetString(4), out var fromMode);
        return new IncidentLogEntry(
            DateTimeOffset.UnixEpoch.AddTicks(micros * (TimeSpan.TicksPerMillisecond / 1000)),
            action,
            severity,
            mode,
            fromMode,
            reader.GetString(5),
            reader.GetBoolean(6));
    }

    /// <summary>The values of <paramref name="entry"/> in insert order: ts_us, action, severity, mode, from_mode, reason, manual.</summary>
    public static object[] Values(IncidentLogEntry entry) =>
    [
        StoreTime.ToUnixMicroseconds(entry.Timestamp),
        IncidentLabels.Of(entry.Action),
        entry.Severity is { } severity ? IncidentLabels.Of(severity) : DBNull.Value,
        IncidentLabels.Of(entry.Mode),
        IncidentLabels.Of(entry.FromMode),
        entry.Reason,
        entry.Manual,
    ];
}
