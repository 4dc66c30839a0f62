using Microsoft.Extensions.Hosting;

namespace Vigil.Incidents;

/// <summary>
/// Has the responder judge its window every <see cref="IncidentOptions.AssessInterval"/> (default 5 s), on the
/// registered <see cref="TimeProvider"/>'s clock. Registered by <c>AddVigilIncidents()</c> in both hosts.
/// </summary>
public sealed class IncidentAssessor : BackgroundService
{
    private readonly IncidentResponder _responder;
    private readonly IncidentWindow _window;
    private readonly TimeProvider _time;

    /// <summary>Creates the loop.</summary>
    public IncidentAssessor(IncidentResponder responder, IncidentWindow window, TimeProvider? timeProvider = null)
    {
        _responder = responder ?? throw new ArgumentNullException(nameof(responder));
        _window = window ?? throw new ArgumentNullException(nameof(window));
        _time = timeProvider ?? TimeProvider.System;
    }

    private long _assessments;

    /// <summary>Assessments made so far.</summary>
    public long Assessments => Interlocked.Read(ref _assessments);

    /// <summary>Judges the window once, now.</summary>
    /// <returns>The mode in force afterwards.</returns>
    public DegradationMode AssessNow()
    {
        var mode = _responder.Assess(_window.Signals(), _time.GetUtcNow());
        Interlocked.Increment(ref _assessments);
        return mode;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_responder.Options.AssessInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                AssessNow();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
