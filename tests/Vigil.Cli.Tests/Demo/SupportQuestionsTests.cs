using Vigil.Cli.Demo;
using Vigil.Drift;

namespace Vigil.Cli.Tests.Demo;

/// <summary>The demo's customers: both languages, frequent questions word for word, and a shift of topics halfway.</summary>
public sealed class SupportQuestionsTests
{
    private static readonly HashSet<string> Launched = ["ai_assistant", "api_integration"];

    private static List<SupportQuestion> Ask(double progress, int count = 4000) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var dice = new DemoRandom(42, i, stream: 1);
            return SupportQuestions.Pick(ref dice, progress);
        })];

    [Fact]
    public void Pick_BeforeAndAfterTheShift_TopicsMoveToTheNewFeature()
    {
        var before = Ask(0.2).Count(q => Launched.Contains(q.Topic.Name)) / 4000.0;
        var after = Ask(0.8).Count(q => Launched.Contains(q.Topic.Name)) / 4000.0;

        Assert.Equal(0, before);
        Assert.InRange(after, SupportQuestions.ShiftedShare - 0.05, SupportQuestions.ShiftedShare + 0.05);
    }

    [Fact]
    public void Pick_ManyCustomers_BothLanguagesAndSomeFrequentQuestions()
    {
        var questions = Ask(0.2);

        Assert.InRange(questions.Count(q => q.Language == "zh") / 4000.0, 0.45, 0.55);
        var frequent = questions.Count(q => q.Text == (q.Language == "zh" ? q.Topic.ChineseFrequent : q.Topic.EnglishFrequent)) / 4000.0;
        Assert.InRange(frequent, SupportQuestions.FrequentShare - 0.05, SupportQuestions.FrequentShare + 0.05);
        Assert.DoesNotContain(questions, q => q.Text.Contains('{', StringComparison.Ordinal));
    }

    [Fact]
    public void Pick_SameSeedAndCall_SameQuestion()
    {
        Assert.Equal(Ask(0.7, 200).Select(q => q.Text), Ask(0.7, 200).Select(q => q.Text));
    }

    [Fact]
    public void Embed_QuestionsOfOneTopic_LieCloserThanAcrossTopics()
    {
        var orders = SupportQuestions.Topics.Single(t => t.Name == "orders");
        var api = SupportQuestions.Topics.Single(t => t.Name == "api_integration");
        static double Cosine(string a, string b) => SimulatedProvider.Embed(a).Zip(SimulatedProvider.Embed(b), (x, y) => (double)x * y).Sum();

        var same = Cosine(string.Format(null, orders.English[0], 123456), string.Format(null, orders.English[1], 654321));
        var across = Cosine(string.Format(null, orders.English[0], 123456), string.Format(null, api.English[0], 654321));

        Assert.True(same > across, $"same topic {same:0.00}, across topics {across:0.00}");
        Assert.Equal(1.0, SimulatedProvider.Embed("How do I get an API token?").Sum(v => (double)v * v), 5);
        Assert.Equal(SimulatedProvider.Embed("怎么获取 API 令牌?"), SimulatedProvider.Embed("怎么获取 API 令牌?"));
    }

    [Fact]
    public void Embed_SameMixTwice_NoDriftButTheShiftDrifts()
    {
        static EmbeddingSet Set(double progress, int from) => EmbeddingSet.FromRows(Enumerable.Range(from, 200).Select(i =>
        {
            var dice = new DemoRandom(42, i, stream: 1);
            return (IReadOnlyList<double>)[.. SimulatedProvider.Embed(SupportQuestions.Pick(ref dice, progress).Text).Select(v => (double)v)];
        }));
        var methods = DriftMethods.Cosine | DriftMethods.Mmd | DriftMethods.Ks;
        var reference = Set(0.05, 0);

        var same = EmbeddingDriftAnalyzer.Analyze(reference, Set(0.3, 200), methods, new DriftOptions());
        var shifted = EmbeddingDriftAnalyzer.Analyze(reference, Set(0.8, 400), methods, new DriftOptions());

        Assert.False(same.Cosine!.IsDrifting, $"cosine distance {same.Cosine.Distance}");
        Assert.False(same.Mmd!.IsDrifting, $"mmd p {same.Mmd.PValue}");
        Assert.True(shifted.Cosine!.IsDrifting, $"cosine distance {shifted.Cosine.Distance}");
        Assert.True(shifted.Mmd!.IsDrifting, $"mmd p {shifted.Mmd.PValue}");
    }
}
