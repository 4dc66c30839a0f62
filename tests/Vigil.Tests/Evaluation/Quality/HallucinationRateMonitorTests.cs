using Vigil.Evaluation.Quality;
using Vigil.Records;

namespace Vigil.Tests.Evaluation.Quality;

public sealed class HallucinationRateMonitorTests
{
    [Fact]
    public void Current_SeededStream_EqualsAnIndependentCountOfTheLastFiveHundred()
    {
        var random = new Random(31);
        var monitor = new HallucinationRateMonitor();
        var verdicts = new List<EvaluationRecord>();
        for (var i = 0; i < 3000; i++)
        {
            // The rate changes halfway, so the window must really forget.
            var hallucination = random.NextDouble() < (i < 1500 ? 0.05 : 0.3);
            var verdict = Verdicts.Of(overall: 4, faithfulness: 1 + random.Next(0, 9) / 2.0, hallucination);
            verdicts.Add(verdict);
            monitor.Record(verdict);

            var last = verdicts.Skip(Math.Max(0, verdicts.Count - 500)).ToList();
            var hallucinated = last.Where(v => v.IsHallucination).ToList();
            var current = monitor.Current();
            Assert.Equal(last.Count, current.Total);
            Assert.Equal(hallucinated.Count, current.Hallucinations);
            Assert.Equal(hallucinated.Count(v => v.Faithfulness <= 2), current.High);
            Assert.Equal(hallucinated.Count(v => v.Faithfulness is > 2 and <= 3), current.Medium);
            Assert.Equal(hallucinated.Count(v => v.Faithfulness > 3), current.Low);
            Assert.Equal((double)hallucinated.Count / last.Count, current.Rate!.Value, 15);
        }

        Assert.InRange(monitor.Current().Rate!.Value, 0.2, 0.4);
    }

    [Fact]
    public void Current_NoVerdicts_RatesAreNull()
    {
        var current = new HallucinationRateMonitor().Current();

        Assert.Equal(0, current.Total);
        Assert.Null(current.Rate);
        Assert.Null(current.HighRate);
    }

    [Fact]
    public void Current_SmallWindow_RatesBySeverity()
    {
        var monitor = new HallucinationRateMonitor(windowSize: 4);
        monitor.Record(HallucinationSeverity.High); // leaves the window
        monitor.Record(HallucinationSeverity.High);
        monitor.Record(HallucinationSeverity.Low);
        monitor.Record((HallucinationSeverity?)null);
        monitor.Record(HallucinationSeverity.Medium);

        var current = monitor.Current();

        Assert.Equal(new HallucinationRate(4, 1, 1, 1), current);
        Assert.Equal(0.75, current.Rate);
        Assert.Equal(0.25, current.LowRate);
        Assert.Equal(0.25, current.MediumRate);
        Assert.Equal(0.25, current.HighRate);
        Assert.Equal(1, current.Count(HallucinationSeverity.High));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void Constructor_BadWindow_Throws(int windowSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HallucinationRateMonitor(windowSize));
    }
}
