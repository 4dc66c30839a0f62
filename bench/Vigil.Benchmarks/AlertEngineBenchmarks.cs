using BenchmarkDotNet.Attributes;
using Vigil.Alerting.Engine;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Benchmarks;

/// <summary>
/// Vigil's own alert engine: one evaluation round of the whole catalog (the seed's ten rules and the four SLO burn
/// rates) over a history filled with 7 days of traffic (a call every 10 seconds, errors, slow calls, cost, verdicts,
/// thumbs), and the cost per record of feeding the history (<see cref="AlertSignalObserver.OnInteraction"/>). The
/// history's memory is fixed at creation (<see cref="SignalHistory.MemoryBytes"/>, printed by the setup).
/// </summary>
[MemoryDiagnoser]
public class AlertEngineBenchmarks
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly SettableTime _time = new(Start);
    private SignalHistory _history = null!;
    private AlertSignalObserver _observer = null!;
    private AlertEngine _engine = null!;
    private InteractionRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        _history = new SignalHistory(_time);
        _observer = new AlertSignalObserver(_history, _time);
        _engine = new AlertEngine(_history, [new BudgetGauge(new SignalOptions())], _time);
        for (var t = Start; t < Start.AddDays(7); t = t.AddSeconds(10))
        {
            _time.Now = t;
            var i = (int)((t - Start).TotalSeconds / 10);
            _observer.OnInteraction(Record(t, i), restored: false);
            if (i % 20 == 0)
            {
                _observer.OnFeedback(new FeedbackRecord { TraceId = "t", Type = FeedbackType.Thumbs, Value = i % 100 == 0 ? 0 : 1, Timestamp = t }, restored: false);
                _observer.OnEvaluation(new EvaluationRecord
                {
                    TraceId = "t", JudgeModel = "j", Relevance = 4, Coherence = 4, Faithfulness = 4, Safety = 5, Overall = 4,
                    IsHallucination = i % 200 == 0, EvaluatedAt = t,
                }, restored: false);
            }
        }

        _record = Record(_time.Now, 1);
        _engine.Evaluate();
        Console.WriteLine($"// SignalHistory.MemoryBytes = {_history.MemoryBytes} ({_history.Width} counters)");
    }

    [Benchmark(Description = "Evaluate: one round of the 14 rules, 7 days of history")]
    public bool Evaluate() => _engine.Evaluate();

    [Benchmark(Description = "OnInteraction: one record into the history")]
    public void Observe() => _observer.OnInteraction(_record, restored: false);

    private static InteractionRecord Record(DateTimeOffset at, int i) => new()
    {
        TraceId = "t",
        Timestamp = at,
        Model = "m",
        Status = i % 50 == 0 ? InteractionStatus.Error : InteractionStatus.Success,
        ErrorType = i % 50 == 0 ? ErrorType.ServerError : null,
        LatencyMs = i % 17 == 0 ? 7000 : 800,
        TtftMs = 300,
        CostUsd = 0.002m,
    };

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
