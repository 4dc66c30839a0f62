using System.ClientModel.Primitives;
using System.Globalization;

namespace Vigil.Cli.Demo;

/// <summary>
/// Tells the simulated provider which call of the run a request is and where in the run it falls
/// (<see cref="SimulatedProvider.CallHeader"/>, <see cref="SimulatedProvider.ProgressHeader"/>), so its dice depend on
/// the seed and the call, not on timing. The agent sets <see cref="Current"/> around each call; the OpenAI SDK's
/// pipeline runs this policy on every request it sends.
/// </summary>
internal sealed class DemoCallHeaders : PipelinePolicy
{
    /// <summary>The call the current async flow is making.</summary>
    public static AsyncLocal<DemoCallNumber?> Current { get; } = new();

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Stamp(message);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Stamp(message);
        return ProcessNextAsync(message, pipeline, currentIndex);
    }

    private static void Stamp(PipelineMessage message)
    {
        if (Current.Value is { } call)
        {
            message.Request.Headers.Set(SimulatedProvider.CallHeader, call.Number.ToString(CultureInfo.InvariantCulture));
            message.Request.Headers.Set(SimulatedProvider.ProgressHeader, call.Progress.ToString("R", CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>A call's number in the run and its place in it (0–1).</summary>
internal sealed record DemoCallNumber(long Number, double Progress);
