using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Alerting.Engine;

/// <summary>
/// Renders the little of Prometheus's template language the catalog's annotations use, as Prometheus renders it:
/// <c>{{ $value }}</c> with <c>humanizePercentage</c>, <c>humanizeDuration</c> or <c>printf "%.Nf"</c>, and
/// <c>{{ $labels.name }}</c>.
/// </summary>
public static partial class AlertTemplate
{
    /// <summary>The text with its <c>{{ … }}</c> actions replaced.</summary>
    public static string Render(string template, double value, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(labels);
        return Action().Replace(template, match =>
        {
            if (match.Groups["label"].Success)
            {
                return labels.GetValueOrDefault(match.Groups["label"].Value, string.Empty);
            }

            return match.Groups["func"].Value switch
            {
                "humanizePercentage" => GoG4(value * 100) + "%",
                "humanizeDuration" => HumanizeDuration(value),
                "" when match.Groups["digits"].Success => value.ToString("F" + match.Groups["digits"].Value, CultureInfo.InvariantCulture),
                _ => GoDefault(value),
            };
        });
    }

    /// <summary>Go's <c>%.4g</c>: four significant digits, trailing zeros dropped, exponent form outside 1e-4..1e4.</summary>
    public static string GoG4(double v)
    {
        if (v == 0 || double.IsNaN(v) || double.IsInfinity(v))
        {
            return v == 0 ? "0" : double.IsNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";
        }

        var e = v.ToString("E3", CultureInfo.InvariantCulture); // d.dddE+xxx, rounded to 4 digits
        var exponent = int.Parse(e.AsSpan(e.IndexOf('E') + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        if (exponent < -4 || exponent >= 4)
        {
            var mantissa = e[..e.IndexOf('E')];
            if (mantissa.Contains('.', StringComparison.Ordinal))
            {
                mantissa = mantissa.TrimEnd('0').TrimEnd('.');
            }

            return mantissa + "e" + (exponent < 0 ? "-" : "+") + Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
        }

        var fixedText = v.ToString("F" + Math.Max(0, 3 - exponent).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return fixedText.Contains('.', StringComparison.Ordinal) ? fixedText.TrimEnd('0').TrimEnd('.') : fixedText;
    }

    /// <summary>Prometheus's <c>humanizeDuration</c> of <paramref name="seconds"/>.</summary>
    public static string HumanizeDuration(double seconds)
    {
        if (double.IsNaN(seconds) || double.IsInfinity(seconds))
        {
            return GoG4(seconds);
        }

        if (seconds == 0)
        {
            return "0s";
        }

        if (Math.Abs(seconds) >= 1)
        {
            var sign = seconds < 0 ? "-" : string.Empty;
            var v = Math.Abs(seconds);
            var duration = (long)v;
            var s = duration % 60;
            var m = duration / 60 % 60;
            var h = duration / 60 / 60 % 24;
            var d = duration / 60 / 60 / 24;
            return d != 0 ? $"{sign}{d}d {h}h {m}m {s}s"
                : h != 0 ? $"{sign}{h}h {m}m {s}s"
                : m != 0 ? $"{sign}{m}m {s}s"
                : $"{sign}{GoG4(v)}s";
        }

        var prefix = string.Empty;
        var scaled = seconds;
        foreach (var p in new[] { "m", "u", "n", "p", "f", "a", "z", "y" })
        {
            if (Math.Abs(scaled) >= 1)
            {
                break;
            }

            prefix = p;
            scaled *= 1000;
        }

        return GoG4(scaled) + prefix + "s";
    }

    // Go's default float formatting (%v): the shortest representation, exponent form from 1e21.
    private static string GoDefault(double v) =>
        Math.Abs(v) is >= 1e21 or (< 1e-4 and > 0) ? v.ToString("E", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{\{\s*(?:\$labels\.(?<label>[A-Za-z_][A-Za-z0-9_]*)|\$value(?:\s*\|\s*(?:(?<func>humanizePercentage|humanizeDuration)|printf\s+""%\.(?<digits>\d)f""))?)\s*\}\}")]
    private static partial Regex Action();
}
