using System.Globalization;
using System.Text.RegularExpressions;

namespace Vigil.Tests.Metrics;

/// <summary>A strict reader of the Prometheus text format (0.0.4) for assertions.</summary>
internal sealed partial class ExpositionParser
{
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);
    public List<Sample> Samples { get; } = [];

    public static ExpositionParser Parse(string text)
    {
        var parser = new ExpositionParser();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.Equal(4, parts.Length);
                Assert.True(parser.Types.TryAdd(parts[2], parts[3]), $"TYPE twice for {parts[2]}");
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels.Add(label.Groups["name"].Value, label.Groups["value"].Value);
            }

            var value = match.Groups["value"].Value;
            parser.Samples.Add(new Sample(match.Groups["name"].Value, labels,
                value == "+Inf" ? double.PositiveInfinity : double.Parse(value, CultureInfo.InvariantCulture)));
        }

        return parser;
    }

    public IEnumerable<Sample> Named(string name) => Samples.Where(s => s.Name == name);

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""(?<name>[a-zA-Z_][a-zA-Z0-9_]*)="(?<value>(?:[^"\\]|\\.)*)",?""")]
    private static partial Regex LabelPair();

    internal sealed record Sample(string Name, Dictionary<string, string> Labels, double Value)
    {
        public string LabelNames => string.Join(',', Labels.Keys.Where(k => k != "le").Order(StringComparer.Ordinal));
    }
}
