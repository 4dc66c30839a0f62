namespace Vigil.Cli.Tests;

public sealed class ReportProcessTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-report-process-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ShouldRunChild_LargeReportInput_OnlyWhenPgoIsNotSetAlready()
    {
        var large = File(64L << 20);

        Assert.True(ReportProcess.ShouldRunChild(["report", "--input", large, "--format", "json"], pgoSetting: null));
        Assert.True(ReportProcess.ShouldRunChild(["report", "-i", large], pgoSetting: null));
        Assert.False(ReportProcess.ShouldRunChild(["report", "--input", large], pgoSetting: "1"));
    }

    [Fact]
    public void ShouldRunChild_SmallOrMissingInputOrOtherCommand_RunsInProcess()
    {
        var small = File(1 << 20);
        var large = File(64L << 20);

        Assert.False(ReportProcess.ShouldRunChild(["report", "--input", small], pgoSetting: null));
        Assert.False(ReportProcess.ShouldRunChild(["report", "--input", Path.Combine(_dir, "missing.jsonl")], pgoSetting: null));
        Assert.False(ReportProcess.ShouldRunChild(["report", "--input"], pgoSetting: null));
        Assert.False(ReportProcess.ShouldRunChild(["drift", "--input", large], pgoSetting: null));
        Assert.False(ReportProcess.ShouldRunChild([], pgoSetting: null));
    }

    // A sparse file: its length without writing it.
    private string File(long length)
    {
        var path = Path.Combine(_dir, $"{length}.jsonl");
        using var stream = new FileStream(path, FileMode.Create);
        stream.SetLength(length);
        return path;
    }
}
