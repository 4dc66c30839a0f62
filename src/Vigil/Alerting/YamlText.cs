using System.Globalization;
using System.Text;

namespace Vigil.Alerting;

/// <summary>
/// The little YAML the shipped files need, written by hand so that the output is byte-for-byte deterministic and the
/// core library takes no YAML dependency: double-quoted scalars and literal blocks. promtool and amtool parse the result
/// in the tests.
/// </summary>
internal static class YamlText
{
    /// <summary>A double-quoted scalar: backslash, quote and control characters escaped.</summary>
    public static string Quoted(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        return builder.Append('"').ToString();
    }

    /// <summary>Writes <paramref name="key"/> with a literal block (<c>|-</c>) of <paramref name="value"/>'s lines at <paramref name="indent"/> + 2.</summary>
    public static void LiteralBlock(StringBuilder builder, int indent, string key, string value)
    {
        var pad = new string(' ', indent);
        builder.Append(pad).Append(key).Append(": |-\n");
        foreach (var line in value.Split('\n'))
        {
            builder.Append(pad).Append("  ").Append(line.TrimEnd()).Append('\n');
        }
    }

    /// <summary>A Prometheus duration: the largest whole unit (<c>2m</c>, <c>1h</c>, <c>30s</c>).</summary>
    public static string Duration(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerHour == 0 ? $"{(long)duration.TotalHours}h"
        : duration.Ticks % TimeSpan.TicksPerMinute == 0 ? $"{(long)duration.TotalMinutes}m"
        : $"{(long)duration.TotalSeconds}s";
}
