using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Server.Tests.Apis;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Signals;

namespace Vigil.Server.Tests.Signals;

/// <summary>
/// One pipeline, two hosts: the same records counted by an app's in-process pipeline (<c>AddVigil()</c>) and posted
/// to the collector give the same report, all but its window.
/// </summary>
public sealed class OnePipelineTests : CollectorTestBase<SqliteTestStore>
{
    [Fact]
    public async Task GetReport_SameRecordsThroughLibraryAndCollector_AreTheSameReport()
    {
        var traffic = Traffic.Generate(seed: 21, count: 10_000);
        var now = DateTimeOffset.UtcNow;
        var feedback = Enumerable.Range(0, 300).Select(i => TestRecords.Feedback(
            traffic.Records[i]["trace_id"]!.GetValue<string>(),
            (i % 5) switch { 0 => "thumbs", 1 => "rating", 2 => "csat", 3 => "nps", _ => "text" },
            (i % 5) switch { 0 => i % 3 == 0 ? 0 : 1, 1 or 2 => 1 + (i % 5), 3 => i % 11, _ => null },
            comment: i % 5 == 4 ? "too slow" : null)).ToList();
        foreach (var item in feedback)
        {
            item["timestamp"] = TestRecords.Rfc3339(now.AddMinutes(-1));
        }

        await using var app = new ServiceCollection().AddVigil().BuildServiceProvider();
        var monitor = app.GetRequiredService<VigilMonitor>();
        foreach (var record in traffic.Records)
        {
            monitor.Record(Parse(record, json => RecordParser.ParseInteraction(json)));
        }

        foreach (var item in feedback)
        {
            monitor.Record(Parse(item, json => RecordParser.ParseFeedback(json)));
        }

        await Client.PostInteractionsAsync(traffic.Records);
        await Client.PostFeedbackAsync(feedback);

        var fromCollector = await Client.GetReportAsync();
        var fromLibrary = JsonNode.Parse(JsonSerializer.Serialize(monitor.GetReport(), ReportJsonContext.Default.HealthReport))!.AsObject();

        Assert.Equal(10_000, fromLibrary["sla"]!["global"]!["requests"]!.GetValue<long>());
        Assert.Equal(300, fromLibrary["satisfaction"]!["total_feedbacks"]!.GetValue<long>());
        fromCollector.Remove("window");
        fromLibrary.Remove("window");
        Assert.True(JsonNode.DeepEquals(fromCollector, fromLibrary),
            $"collector:\n{fromCollector.ToJsonString()}\nlibrary:\n{fromLibrary.ToJsonString()}");
    }

    private static T Parse<T>(JsonObject record, ParseUtf8<T> parse)
        where T : class
    {
        var result = parse(Encoding.UTF8.GetBytes(record.ToJsonString()));
        return result.Record ?? throw new Xunit.Sdk.XunitException($"not a valid record: {record.ToJsonString()}");
    }

    private delegate RecordParseResult<T> ParseUtf8<T>(ReadOnlySpan<byte> utf8Json)
        where T : class;
}
