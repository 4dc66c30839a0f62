using System.Globalization;
using Vigil.Drift;

namespace Vigil.Cli.Commands;

/// <summary>
/// Progress of computing embeddings, on stderr: a line at most every <c>interval</c> (short files print none), with
/// the share of the file read, the rate and the time left. One per file. The rate is measured from the first batch
/// on, so that loading the model does not count as embedding time.
/// </summary>
internal sealed class EmbeddingProgressReporter(TextWriter stderr, TimeProvider timeProvider, TimeSpan interval) : IProgress<EmbeddingReadProgress>
{
    private long _lastPrinted = timeProvider.GetTimestamp();
    private (long Timestamp, int Embedded, double Fraction)? _first;

    public void Report(EmbeddingReadProgress value)
    {
        var now = timeProvider.GetTimestamp();
        if (_first is not { } first)
        {
            _first = (now, value.Embedded, value.Fraction ?? 0);
            return;
        }

        // The end of the file is not progress worth a line: the summary follows.
        if (value.Fraction >= 1 || timeProvider.GetElapsedTime(_lastPrinted, now) < interval)
        {
            return;
        }

        _lastPrinted = now;
        var elapsed = timeProvider.GetElapsedTime(first.Timestamp, now).TotalSeconds;
        var c = CultureInfo.InvariantCulture;
        var rate = elapsed > 0 ? (value.Embedded - first.Embedded) / elapsed : 0;
        var where = value.Fraction is { } f && f > first.Fraction
            ? string.Create(c, $"{f * 100:0}% of the file, {rate:0} texts/s, about {Math.Ceiling(elapsed * (1 - f) / (f - first.Fraction)):0} s left")
            : string.Create(c, $"line {value.Line}, {rate:0} texts/s");
        stderr.WriteLine(string.Create(c, $"vigil drift: {Path.GetFileName(value.File)}: {value.Embedded:N0} texts embedded ({where})"));
    }
}
