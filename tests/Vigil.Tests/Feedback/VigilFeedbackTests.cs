using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Vigil.Feedback;
using Vigil.Records;
using Vigil.Sinks;

namespace Vigil.Tests.Feedback;

public sealed class VigilFeedbackTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);
    private readonly FeedbackSink _sink = new();
    private readonly VigilFeedback _feedback;

    public VigilFeedbackTests() => _feedback = new VigilFeedback(_sink, new FakeTimeProvider(Now));

    [Fact]
    public void ThumbsUp_Valid_EmitsThumbsOfOneStampedNow()
    {
        Assert.True(_feedback.ThumbsUp("t-1", feature: "search", userId: "u-7"));

        var record = Assert.Single(_sink.Records);
        Assert.Equal(new FeedbackRecord { Type = FeedbackType.Thumbs, Value = 1, TraceId = "t-1", Feature = "search", UserId = "u-7", Timestamp = Now }, record);
    }

    [Fact]
    public void ThumbsDown_NoFeature_EmitsThumbsOfZeroForTheDefaultFeature()
    {
        _feedback.ThumbsDown("t-1");

        var record = Assert.Single(_sink.Records);
        Assert.Equal(0, record.Value);
        Assert.Equal("default", record.Feature);
        Assert.Null(record.UserId);
    }

    [Fact]
    public void SurveysAndText_Valid_EmitTheirTypeAndValue()
    {
        _feedback.Rating("t-1", 4);
        _feedback.Csat(5);
        _feedback.Nps(0, traceId: "t-2");
        _feedback.Text("The answer was out of date.", userId: "u-1");

        Assert.Equal(
            [(FeedbackType.Rating, 4.0, "t-1"), (FeedbackType.Csat, 5.0, null), (FeedbackType.Nps, 0.0, "t-2"), (FeedbackType.Text, (double?)null, null)],
            _sink.Records.Select(r => (r.Type, r.Value, r.TraceId)));
        Assert.Equal("The answer was out of date.", _sink.Records[^1].Comment);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Rating_OutOfOneToFive_Throws(int stars)
    {
        Assert.Throws<ArgumentOutOfRangeException>(nameof(stars), () => _feedback.Rating("t-1", stars));
        Assert.Empty(_sink.Records);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public void Csat_OutOfOneToFive_Throws(int score) => Assert.Throws<ArgumentOutOfRangeException>(nameof(score), () => _feedback.Csat(score));

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Nps_OutOfZeroToTen_Throws(int score) => Assert.Throws<ArgumentOutOfRangeException>(nameof(score), () => _feedback.Nps(score));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void ThumbsAndRating_BlankTraceId_Throw(string traceId)
    {
        Assert.Throws<ArgumentException>(nameof(traceId), () => _feedback.ThumbsUp(traceId));
        Assert.Throws<ArgumentException>(nameof(traceId), () => _feedback.Rating(traceId, 3));
    }

    [Fact]
    public void Text_Blank_Throws() => Assert.Throws<ArgumentException>("comment", () => _feedback.Text(" "));

    [Fact]
    public void Record_FieldsBeyondTheContract_ThrowNamingTheField()
    {
        var longId = Assert.Throws<ArgumentException>(() => _feedback.ThumbsUp(new string('x', 129)));
        var longText = Assert.Throws<ArgumentException>(() => _feedback.Text(new string('x', 4001)));
        var longFeature = Assert.Throws<ArgumentException>(() => _feedback.Csat(3, feature: new string('f', 65)));
        var nul = Assert.Throws<ArgumentException>(() => _feedback.ThumbsUp("t\0"));

        Assert.Contains("trace_id must be at most 128 characters", longId.Message, StringComparison.Ordinal);
        Assert.Contains("comment must be at most 4000 characters", longText.Message, StringComparison.Ordinal);
        Assert.Contains("feature must be at most 64 characters", longFeature.Message, StringComparison.Ordinal);
        Assert.Contains("U+0000", nul.Message, StringComparison.Ordinal);
        Assert.Empty(_sink.Records);
    }

    [Fact]
    public void Record_WithTimestamp_KeepsIt()
    {
        var given = Now.AddHours(-1);

        _feedback.Record(new FeedbackRecord { Type = FeedbackType.Rating, Value = 2, TraceId = "t-1", Timestamp = given });

        Assert.Equal(given, Assert.Single(_sink.Records).Timestamp);
    }

    [Fact]
    public void Record_SinkKeepsNone_ReturnsFalse() =>
        Assert.False(new VigilFeedback(NullInteractionSink.Instance).ThumbsUp("t-1"));

    [Fact]
    public void AddVigilCollectorSink_ResolvesFeedbackOverTheRegisteredSink()
    {
        var services = new ServiceCollection().AddVigilCollectorSink().AddSingleton<IInteractionSink>(_sink);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<VigilFeedback>().Csat(4);

        Assert.Single(_sink.Records);
        Assert.Same(provider.GetRequiredService<VigilFeedback>(), provider.GetRequiredService<VigilFeedback>());
    }

    private sealed class FeedbackSink : IInteractionSink
    {
        public List<FeedbackRecord> Records { get; } = [];

        public bool IsEnabled => true;

        public bool Emit(InteractionRecord record) => false;

        public bool Emit(FeedbackRecord feedback)
        {
            Records.Add(feedback);
            return true;
        }
    }
}
