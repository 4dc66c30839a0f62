using System.Text;
using Vigil.Records;
using Vigil.Reports.FastReading;
using Vigil.Tests.Records;

namespace Vigil.Tests.Reports.FastReading;

/// <summary>
/// The fast figures reader of <c>vigil report</c> against the full reader, on many generated and mutated lines:
/// whatever the fast reader accepts, the full one accepts with the same figures (and it leaves everything else to the
/// full reader, whose errors the report then gives).
/// </summary>
public sealed class InteractionFiguresReaderTests
{
    [Theory]
    [InlineData(1, 0.8)]
    [InlineData(2, 0.5)]
    [InlineData(3, 0.95)]
    public void TryRead_GeneratedAndMutatedLines_AcceptsOnlyWhatTheFullReaderAcceptsWithTheSameFigures(int seed, double plainShare)
    {
        // Lines of JSON Lines: no line feed inside (TryReadLine's test below: one between tokens is not the fast reader's),
        // carriage returns as whitespace.
        var fuzz = new InteractionLineFuzz(seed, newlines: false, carriageReturns: true);
        var strings = new AsciiStringCache();
        int fast = 0, fullOnly = 0, rejected = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var line = fuzz.Next(plainShare);
            var full = RecordParser.ParseInteraction(line, figuresOnly: true);
            if (!InteractionFiguresReader.TryRead(line, strings, out var figures, out var traceId))
            {
                if (full.Record is null)
                {
                    rejected++;
                }
                else
                {
                    fullOnly++;
                }

                continue;
            }

            fast++;
            var text = Encoding.UTF8.GetString(line);
            Assert.True(full.Record is not null, $"fast-accepted, full-rejected ({string.Join("; ", full.Errors)}): {text}");
            AssertSameFigures(InteractionFigures.Of(full.Record), figures, text);
            Assert.Equal(full.Record.TraceId, Encoding.UTF8.GetString(traceId));
        }

        // Each kind of outcome is exercised (a fast reader that took nothing would pass the loop above vacuously).
        Assert.True(fast > 200, $"fast {fast}");
        Assert.True(fullOnly > 100, $"full only {fullOnly}");
        Assert.True(rejected > 1_000, $"rejected {rejected}");
    }

    [Fact]
    public void TryReadLine_ABlockOfLines_ReadsEachPlainLineToItsLineFeedAndLeavesTheOthers()
    {
        const string Plain = "{\"trace_id\":\"a\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"model\":\"m\",\"status\":\"success\",\"latency_ms\":5}";
        var block = Encoding.UTF8.GetBytes(
            Plain + "\n" +                                   // plain
            Plain + " \t\r\n" +                              // trailing whitespace and a carriage return
            Plain.Replace(",\"model\"", ",\n\"model\"", StringComparison.Ordinal) + "\n" + // a line feed between tokens ends the line
            Plain.Replace("}", "} x", StringComparison.Ordinal) + "\n" + // something after the object
            Plain);                                         // the last line, without a line feed
        var strings = new AsciiStringCache();
        var lengths = new List<int>();
        var rest = block.AsSpan();
        while (!rest.IsEmpty)
        {
            var ok = InteractionFiguresReader.TryReadLine(rest, strings, out var figures, out var traceId, out var length, out _);
            var end = rest.IndexOf((byte)'\n') is var feed and >= 0 ? feed : rest.Length;
            if (ok)
            {
                Assert.Equal(end, length);
                Assert.Equal("a", Encoding.UTF8.GetString(traceId));
                Assert.Equal(5, figures.LatencyMs);
            }

            lengths.Add(ok ? length : -1);
            rest = end < rest.Length ? rest[(end + 1)..] : [];
        }

        Assert.Equal([Plain.Length, Plain.Length + 3, -1, -1, -1, Plain.Length], lengths);
    }

    [Theory]
    [InlineData("{\"trace_id\":\"t1\",\"timestamp\":\"2026-11-01T10:00:00.5+02:00\",\"model\":\"gpt-4o\",\"status\":\"error\",\"latency_ms\":0.1,\"cost_usd\":1.50,\"http_status\":503}")]
    [InlineData(" { \"latency_ms\" : 3600000 , \"status\":\"success\", \"model\":\"m\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"trace_id\":\"x\",\"user_tier\":null,\"feature\":null } ")]
    [InlineData("{\"trace_id\":\"t1\",\"timestamp\":\"2026-11-01T10:00:00Z\",\"model\":\"gpt-4o\",\"status\":\"success\",\"latency_ms\":2.5e2,\"response\":\"a \\u003E b \\\"q\\\" \\n\",\"attributes\":{\"a\":\"1\",\"b\":\"\\u00e9\"},\"embedding\":[0.5, -1e-3]}")]
    public void TryRead_PlainLine_IsTakenWithTheFullReadersFigures(string line)
    {
        var utf8 = Encoding.UTF8.GetBytes(line);

        var taken = InteractionFiguresReader.TryRead(utf8, new AsciiStringCache(), out var figures, out _);

        Assert.True(taken);
        AssertSameFigures(InteractionFigures.Of(RecordParser.ParseInteraction(utf8).Record!), figures, line);
    }

    [Fact]
    public void AsciiStringCache_SameBytes_SameStringInstance()
    {
        var cache = new AsciiStringCache();

        var first = cache.Get("gpt-4o"u8);
        var second = cache.Get("gpt-4o"u8);

        Assert.Equal("gpt-4o", first);
        Assert.Same(first, second);
        Assert.Equal("gpt-4o-mini", cache.Get("gpt-4o-mini"u8));
    }

    private static void AssertSameFigures(InteractionFigures expected, InteractionFigures actual, string line)
    {
        Assert.True(expected.Timestamp == actual.Timestamp && expected.Timestamp.Offset == actual.Timestamp.Offset, $"timestamp: {line}");
        Assert.True(expected.Model == actual.Model && expected.Feature == actual.Feature && expected.UserTier == actual.UserTier
            && expected.UserId == actual.UserId, $"labels: {line}");
        Assert.True(expected.Status == actual.Status && expected.ErrorType == actual.ErrorType && expected.HttpStatus == actual.HttpStatus
            && expected.Degradation == actual.Degradation && expected.Cache == actual.Cache, $"status: {line}");
        Assert.True(BitConverter.DoubleToInt64Bits(expected.LatencyMs) == BitConverter.DoubleToInt64Bits(actual.LatencyMs)
            && Nullable.Equals(expected.TtftMs, actual.TtftMs), $"latency {expected.LatencyMs} vs {actual.LatencyMs}: {line}");
        Assert.True(expected.InputTokens == actual.InputTokens && expected.OutputTokens == actual.OutputTokens
            && expected.CachedTokens == actual.CachedTokens, $"tokens: {line}");
        // Same value and the same scale (a decimal's trailing zeros reach the report).
        Assert.True(expected.CostUsd is null == actual.CostUsd is null
            && (expected.CostUsd is not { } e || decimal.GetBits(e).SequenceEqual(decimal.GetBits(actual.CostUsd!.Value))), $"cost: {line}");
    }
}
