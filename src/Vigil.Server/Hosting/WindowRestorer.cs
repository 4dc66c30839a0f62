using Vigil.Server.Storage;
using Vigil.Signals;

namespace Vigil.Server.Hosting;

/// <summary>
/// Rebuilds the sliding window, the month's cost ledger and the quality watch from the store at start, so a restart
/// changes no figure.
/// </summary>
public static class WindowRestorer
{
    /// <summary>How far back the quality watch is rebuilt from on start (its reference outlives the window).</summary>
    public static readonly TimeSpan QualitySpan = TimeSpan.FromDays(30);

    /// <summary>Reads what the window and ledger cover back from <paramref name="store"/>.</summary>
    public static async Task RestoreAsync(IVigilStore store, SignalPipeline pipeline, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        // One slice of slack either side: the window holds the slice in progress and one ahead.
        var slice = pipeline.Window.Length / pipeline.Options.WindowSlices;
        var from = now - pipeline.Window.Length - slice;
        var to = now + (2 * slice);
        await StoreScan.ForEachAsync(store, from, to, pipeline.Restore, pipeline.Restore, pipeline.Restore, cancellationToken).ConfigureAwait(false);

        var utc = now.UtcDateTime;
        var monthStart = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        pipeline.SeedMonthTotal(monthStart, await store.SumCostAsync(monthStart, monthStart.AddMonths(1), cancellationToken).ConfigureAwait(false));

        // Verdicts in time order, as they arrived: the drift detectors' windows depend on the order.
        await foreach (var evaluation in store.ReadEvaluationsAsync(now - QualitySpan, to, cancellationToken).ConfigureAwait(false))
        {
            pipeline.RestoreQuality(evaluation);
        }
    }
}
