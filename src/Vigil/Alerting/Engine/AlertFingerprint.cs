using System.Security.Cryptography;
using System.Text;

namespace Vigil.Alerting.Engine;

/// <summary>A stable fingerprint of an alert's label set: 16 hex characters, the same for the same labels in any order.</summary>
public static class AlertFingerprint
{
    /// <summary>The fingerprint of <paramref name="labels"/> (alertname included).</summary>
    public static string Of(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var text = new StringBuilder();
        foreach (var (name, value) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append('\xff').Append(value).Append('\xff');
        }

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return Convert.ToHexStringLower(hash[..8]);
    }
}
