using System.Globalization;
using Vigil.Drift;

namespace Vigil.Cli.Commands;

/// <summary>
/// Progress of computing embeddings, on stderr: a line at most every <c>interval</c> (short files print none), with
/// the share of the file read, the rate and the time left. One per file: the clock starts when it is made.
/// </summary>
internal sealed class EmbeddingProgressReporter(TextWriter stderr, TimeProvider timeProvider, TimeSpan interval) : IProgress<EmbeddingReadProgress>
{
    private readonly long _started = timeProvider.GetTimestamp();
    private long _lastPrinted = timeProvider.GetTimestamp();

    public void Report(EmbeddingReadProgress value)
    {
        var now = timeProvider.GetTimestamp();

        // The end of the file is not progress worth a line: the summary follows.
        if (value.Fraction >= 1 || timeProvider.GetElapsedTime(_lastPrinted, now) < interval)
        {
            return;
        }

        _lastPrinted = now;
        var elapsed = timeProvider.GetElapsedTime(_started, now).TotalSeconds;
        var c = CultureInfo.InvariantCulture;
        var rate = elapsed > 0 ? value.Embedded / elapsed : 0;
        var where = value.Fraction is { } f and > 0
            ? string.Create(c, $"{f * 100:0}% of the file, {rate:0} texts/s, about {Math.Ceiling(elapsed * (1 - f) / f):0} s left")
            : string.Create(c, $"line {value.Line}, {rate:0} texts/s");
        stderr.WriteLine(string.Create(c, $"vigil drift: {Path.GetFileName(value.File)}: {value.Embedded:N0} texts embedded ({where})"));
    }
}
