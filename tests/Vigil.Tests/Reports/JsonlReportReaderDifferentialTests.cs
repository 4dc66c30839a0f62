using System.Text.Json;
using System.Text.Json.Nodes;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Tests.Records;

namespace Vigil.Tests.Reports;

/// <summary>
/// <c>vigil report</c>'s reader (fast path, full-reader fallback, one-pass repeat filter and the pass that settles
/// repeats) against a plain reference: every line through <see cref="RecordParser"/>, the last valid line of each
/// trace_id normalized and added in order. Same report, same errors.
/// </summary>
public sealed class JsonlReportReaderDifferentialTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-report-diff-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(11, 0.0, false)]
    [InlineData(12, 0.3, false)]
    [InlineData(13, 0.3, true)]
    [InlineData(14, 0.05, true)]
    public async Task ReadInteractions_GeneratedFile_SameReportAndErrorsAsTheReference(int seed, double repeatShare, bool narrow)
    {
        var fuzz = new InteractionLineFuzz(seed, newlines: false);
        var random = new Random(seed);
        var lines = new List<byte[]>();
        for (var n = 0; n < 6_000; n++)
        {
            // Repeated ids with timestamps at both ends of the range, so removing an earlier line can move the window.
            var repeat = random.NextDouble() < repeatShare;
            var line = repeat
                ? fuzz.Next(0.9, 0.05, traceId: $"\"rep-{random.Next(40)}\"", timestamp: fuzz.Timestamp(random.Next(2) == 0 ? -random.Next(600) : 600 + random.Next(600)))
                : fuzz.Next(0.9, 0.1, timestamp: fuzz.Timestamp(random.Next(600)));
            lines.Add(line);
        }

        lines.Insert(random.Next(lines.Count), []);
        var path = Path.Combine(_dir, $"{seed}.jsonl");
        await File.WriteAllBytesAsync(path, lines.SelectMany(l => l.Append((byte)'\n')).ToArray());
        DateTimeOffset? from = narrow ? new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero) : null;
        DateTimeOffset? to = narrow ? new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero) : null;
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);

        var errors = new List<LineError>();
        var actual = await new JsonlReportReader(normalizer, workers: 2).ReadInteractionsAsync(path, from, to, e => { lock (errors) { errors.Add(e); } });

        var expectedErrors = new List<(long, string)>();
        var last = new Dictionary<string, (long Line, InteractionRecord Record)>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].AsSpan().Trim((byte)' ').IsEmpty)
            {
                continue;
            }

            var result = RecordParser.ParseInteraction(lines[i]);
            if (result.Record is { } record)
            {
                last[record.TraceId] = (i + 1, record);
            }
            else
            {
                expectedErrors.Add((i + 1, string.Join("; ", result.Errors)));
            }
        }

        var expected = new SignalAggregate();
        foreach (var (_, record) in last.Values.OrderBy(v => v.Line))
        {
            if ((from is null || record.Timestamp >= from) && (to is null || record.Timestamp < to))
            {
                expected.Add(normalizer.Normalize(record));
            }
        }

        Assert.Equal(expectedErrors, errors.OrderBy(e => e.Line).Select(e => (e.Line, e.Message)));
        Assert.True(expected.Sla[SignalAggregate.GlobalKey].Requests > 1_000);
        Assert.Equal(Report(expected, from, to), Report(actual, from, to));
    }

    // The report with its objects' keys sorted: the cost maps keep the order their keys were first met in, which
    // depends on how lines were shared between workers (in the reader before this one too).
    private static string Report(SignalAggregate aggregate, DateTimeOffset? from, DateTimeOffset? to) =>
        Sorted(JsonNode.Parse(JsonSerializer.Serialize(
            ReportBuilder.Build(aggregate, new ReportWindow(from ?? aggregate.FirstTimestamp, to ?? aggregate.LastTimestamp), new SignalOptions()),
            ReportJsonContext.Default.HealthReport)))!.ToJsonString();

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        _ => node?.DeepClone(),
    };
}
