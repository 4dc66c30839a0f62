using Vigil.Evaluation.Online;

namespace Vigil.Tests.Evaluation;

/// <summary>The online judge's sample: the rate's share of interactions, spread over them, the same in every process.</summary>
public sealed class EvaluationSamplerTests
{
    [Fact]
    public void IsSampled_SequentialTraceIds_SpreadEvenlyNotInRuns()
    {
        var sampler = new EvaluationSampler(0.2);

        var blocks = Enumerable.Range(0, 100)
            .Select(block => Enumerable.Range(block * 100, 100).Count(i => sampler.IsSampled($"demo-42-{i}")))
            .ToList();

        Assert.InRange(blocks.Sum() / 10_000.0, 0.18, 0.22);
        Assert.All(blocks, sampled => Assert.InRange(sampled, 5, 40)); // 20 expected in each hundred, not 0 or 95
    }

    [Fact]
    public void Fraction_SameTraceId_SameEverywhere()
    {
        Assert.Equal(EvaluationSampler.Fraction("req-1001"), EvaluationSampler.Fraction("req-1001"));
        Assert.NotEqual(EvaluationSampler.Fraction("req-1001"), EvaluationSampler.Fraction("req-1002"));
        Assert.InRange(EvaluationSampler.Fraction("req-1001"), 0.0, 1.0);
    }

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(1.0, 1000)]
    public void IsSampled_EdgeRates_NoneOrAll(double rate, int expected)
    {
        var sampler = new EvaluationSampler(rate);

        Assert.Equal(expected, Enumerable.Range(0, 1000).Count(i => sampler.IsSampled($"t-{i}")));
    }
}
