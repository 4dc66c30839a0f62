using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;
using Vigil.Benchmarks;

if (args is ["--probe", ..])
{
    AllocationProbe.Run();
    return;
}

if (args is ["--incidents", ..])
{
    IncidentSimulation.Run();
    return;
}

if (args is ["--interleaved", ..])
{
    InterleavedTiming.Run();
    return;
}

// Artifacts (logs, markdown and CSV reports) go beside this project, not into the caller's working directory.
var artifacts = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "BenchmarkDotNet.Artifacts"));
var config = DefaultConfig.Instance
    .WithArtifactsPath(artifacts)
    .AddColumn(StatisticColumn.Median, OverheadColumn.Time, OverheadColumn.Bytes)
    .HideColumns(Column.Ratio, Column.RatioSD, Column.AllocRatio);

// One short job for everything, unless the command line names its own (--job short, --job dry, ...).
if (!args.Any(a => a is "--job" or "-j"))
{
    config = config.AddJob(Job.Default
        .WithWarmupCount(3)
        .WithIterationCount(12)
        .WithIterationTime(TimeInterval.FromMilliseconds(250))
        .WithId("Quick"));
}

BenchmarkSwitcher.FromAssembly(typeof(OverheadBenchmarks).Assembly).Run(args, config);
