using System.Globalization;
using Vigil.Incidents;
using Vigil.Records;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>--incidents</c>: the incident responder's speed and steadiness on a simulated clock (no sleeping): the time from a
/// signal crossing a threshold to the escalation with the default <see cref="IncidentOptions.AssessInterval"/>, over
/// every phase of the assess timer; and the mode changes per hold period of a signal that crosses a threshold back and
/// forth every 30 s for an hour (fed straight to the responder).
/// </summary>
public static class IncidentSimulation
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private const int CallsPerSecond = 20;

    /// <summary>Runs both simulations and prints their figures.</summary>
    public static void Run()
    {
        var options = new IncidentOptions();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Defaults: Window {options.Window}, AssessInterval {options.AssessInterval}, HoldPeriod {options.HoldPeriod}, MinRequests {options.MinRequests}; {CallsPerSecond} calls/s, 100 ms steps."));
        Console.WriteLine();
        Console.WriteLine("Crossing → escalation (all calls fail from the outage on; 50 timer phases):");
        foreach (var failure in new[] { 1.0, 0.5, 0.2 })
        {
            var latencies = Enumerable.Range(0, 50).Select(phase => EscalationLatency(options, TimeSpan.FromMilliseconds(phase * 100), failure)).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  failure rate {failure:P0}: min {latencies.Min().TotalSeconds:0.0} s, mean {latencies.Average(l => l.TotalSeconds):0.00} s, max {latencies.Max().TotalSeconds:0.0} s"));
        }

        Console.WriteLine();
        Console.WriteLine("A threshold crossed back and forth every 30 s for 1 hour:");
        foreach (var (bad, good, name) in new[] { (0.93, 0.999, "P1 ↔ healthy"), (0.85, 0.97, "P0 ↔ P2") })
        {
            foreach (var hold in new[] { options.HoldPeriod, TimeSpan.Zero })
            {
                var (changes, maxPerHold, recoveries) = Flapping(options, hold, bad, good);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {name}, hold {hold}: {changes} mode changes in the hour ({recoveries} step-downs), at most {maxPerHold} in any {options.HoldPeriod.TotalMinutes:0} minutes"));
            }
        }
    }

    // Healthy traffic for 10 minutes, then calls fail at failureRate; the crossing is the first instant the window's
    // signals call for a deeper mode, the escalation the first assessment that changed it.
    private static TimeSpan EscalationLatency(IncidentOptions defaults, TimeSpan timerPhase, double failureRate)
    {
        var clock = new SimulatedClock(Start);
        var options = Copy(defaults, defaults.HoldPeriod);
        var window = new IncidentWindow(options, clock);
        var responder = new IncidentResponder(options, clock);
        var outage = Start + TimeSpan.FromMinutes(10);
        var nextAssess = Start + timerPhase + options.AssessInterval;
        DateTimeOffset? crossed = null;
        var failures = 0.0;
        for (var now = Start; now < outage + TimeSpan.FromMinutes(10); now += Step)
        {
            clock.Now = now;
            for (var i = 0; i < CallsPerSecond * Step.TotalSeconds; i++)
            {
                var fail = false;
                if (now >= outage)
                {
                    failures += failureRate;
                    fail = failures >= 1;
                    failures -= fail ? 1 : 0;
                }

                window.OnInteraction(Call(now, fail), restored: false);
            }

            if (now >= outage)
            {
                crossed ??= IncidentResponder.Judge(window.Signals(), options).Mode > DegradationMode.Normal ? now : null;
            }
            if (now >= nextAssess)
            {
                nextAssess += options.AssessInterval;
                if (responder.Assess(window.Signals(), now) > DegradationMode.Normal)
                {
                    return now - crossed!.Value;
                }
            }
        }

        throw new InvalidOperationException("No escalation.");
    }

    // The success rate alternates between bad and good every 30 s, assessed every AssessInterval for an hour.
    private static (int Changes, int MaxPerHold, int Recoveries) Flapping(IncidentOptions defaults, TimeSpan hold, double bad, double good)
    {
        var options = Copy(defaults, hold);
        var responder = new IncidentResponder(options, new SimulatedClock(Start));
        var changes = new List<DateTimeOffset>();
        var last = responder.Mode;
        for (var now = Start; now < Start + TimeSpan.FromHours(1); now += options.AssessInterval)
        {
            var crossed = (int)((now - Start).TotalSeconds / 30) % 2 == 1;
            var mode = responder.Assess(new IncidentSignals(1000, crossed ? bad : good), now);
            if (mode != last)
            {
                changes.Add(now);
                last = mode;
            }
        }

        var maxPerHold = changes.Count == 0 ? 0 : changes.Max(t => changes.Count(u => u >= t && u < t + defaults.HoldPeriod));
        return (changes.Count, maxPerHold, responder.Log.Count(e => e.Action == IncidentAction.Recover));
    }

    private static IncidentOptions Copy(IncidentOptions defaults, TimeSpan hold) => new()
    {
        Window = defaults.Window,
        AssessInterval = defaults.AssessInterval,
        MinRequests = defaults.MinRequests,
        HoldPeriod = hold,
    };

    private static InteractionRecord Call(DateTimeOffset at, bool failed) => new()
    {
        TraceId = "sim",
        Timestamp = at,
        Model = "gpt-4.1-mini",
        Status = failed ? InteractionStatus.Error : InteractionStatus.Success,
        LatencyMs = 800,
    };

    private sealed class SimulatedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
