using System.Diagnostics;

namespace Vigil.Server.Gateway;

/// <summary>
/// When a gateway call crossed each boundary (<see cref="Stopwatch"/> timestamps), for the gateway's own overhead: the
/// time from the request in to the upstream request out, plus from the upstream's answer in to the answer out (its first
/// byte when streamed, from the upstream's first byte), as LiteLLM's overhead metric counts it. Carried as a feature of the request.
/// </summary>
internal sealed class GatewayTiming(long start)
{
    public long Start { get; } = start;

    public long UpstreamRequestOut { get; set; }

    public long UpstreamResponseIn { get; set; }

    public long FirstByteIn { get; set; }

    public long FirstByteOut { get; set; }

    /// <summary>The overhead, once the call ended at <paramref name="end"/>; null when the upstream never answered.</summary>
    public TimeSpan? Overhead(bool streamed, long end)
    {
        if (UpstreamRequestOut == 0 || UpstreamResponseIn == 0)
        {
            return null;
        }

        // A stream's answer side is its first chunk's way through (the upstream's pauses between chunks are not ours).
        var answerSide = streamed && FirstByteIn != 0 && FirstByteOut != 0
            ? Stopwatch.GetElapsedTime(FirstByteIn, FirstByteOut)
            : Stopwatch.GetElapsedTime(UpstreamResponseIn, end);
        return Stopwatch.GetElapsedTime(Start, UpstreamRequestOut) + answerSide;
    }
}
