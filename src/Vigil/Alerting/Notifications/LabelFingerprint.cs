using System.Globalization;
using System.Text;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// Prometheus's fingerprint of a label set (<c>model.LabelSet.Fingerprint</c>): FNV-1a 64 over the labels sorted by
/// name, each name and value followed by the byte 0xff, written as 16 hex digits. Alertmanager's <c>fingerprint</c> is
/// this, so an alert posted without one gets the one Alertmanager would have given it.
/// </summary>
public static class LabelFingerprint
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;
    private const byte Separator = 0xff;

    /// <summary>The fingerprint of <paramref name="labels"/>.</summary>
    public static string Compute(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var hash = Offset;
        foreach (var name in labels.Keys.Order(StringComparer.Ordinal))
        {
            hash = Add(hash, name);
            hash = Add(hash, Separator);
            hash = Add(hash, labels[name]);
            hash = Add(hash, Separator);
        }

        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    private static ulong Add(ulong hash, string text)
    {
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = Add(hash, b);
        }

        return hash;
    }

    private static ulong Add(ulong hash, byte b) => (hash ^ b) * Prime;
}
