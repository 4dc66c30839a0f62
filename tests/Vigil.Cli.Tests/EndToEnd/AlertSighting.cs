using System.Globalization;

namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>What one poll saw of an alert.</summary>
/// <param name="Seconds">Seconds since the demo was launched.</param>
/// <param name="State"><c>pending</c>, <c>firing</c>, or <c>inactive</c> (not listed).</param>
/// <param name="Source">Who raised it: <c>prometheus</c> (its own API), <c>vigil</c> (Vigil's engine), <c>alertmanager</c> (received through POST /v1/alertmanager).</param>
public sealed record AlertSighting(double Seconds, string State, string Source)
{
    /// <summary>The sightings where the state changed, as "12s pending → 130s firing → …".</summary>
    public static string Describe(IEnumerable<AlertSighting> sightings)
    {
        ArgumentNullException.ThrowIfNull(sightings);
        var changes = Changes(sightings).Select(s => $"{s.Seconds.ToString("0", CultureInfo.InvariantCulture)}s {s.State}").ToList();
        return changes.Count == 0 ? "(no poll answered)" : string.Join(" → ", changes);
    }

    /// <summary>The first sighting and each where the state differs from the one before.</summary>
    public static IReadOnlyList<AlertSighting> Changes(IEnumerable<AlertSighting> sightings)
    {
        ArgumentNullException.ThrowIfNull(sightings);
        var changes = new List<AlertSighting>();
        foreach (var sighting in sightings)
        {
            if (changes.Count == 0 || changes[^1].State != sighting.State)
            {
                changes.Add(sighting);
            }
        }

        return changes;
    }
}
