using System.Text.Json.Nodes;
using Vigil.Alerting;
using Vigil.Alerting.Notifications;

namespace Vigil.Tests.Alerting.Notifications;

/// <summary>The seed's Slack layout: colour and emoji per severity, header ≤ 150, ≤ 10 fields, a runbook button.</summary>
public sealed class SlackMessageTests
{
    [Theory]
    [InlineData(AlertSeverity.Critical, "🔴", "#FF0000", "[P0]")]
    [InlineData(AlertSeverity.High, "🟠", "#FF8C00", "[P1]")]
    [InlineData(AlertSeverity.Warning, "🟡", "#FFD700", "[P2]")]
    [InlineData(AlertSeverity.Info, "ℹ️", "#36A2EB", "[P3]")]
    public void Build_Firing_EmojiAndColourOfItsSeverity(AlertSeverity severity, string emoji, string color, string priority)
    {
        var message = SlackMessage.Build(AlertChanges.Firing(severity: severity));

        var attachment = message["attachments"]![0]!;
        Assert.Equal(color, attachment["color"]!.GetValue<string>());
        var header = Header(message);
        Assert.StartsWith($"{emoji} {priority} ", header, StringComparison.Ordinal);
        Assert.EndsWith("LLM API success rate below 95%", header, StringComparison.Ordinal);
        Assert.Equal("header", attachment["blocks"]![0]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void Build_Resolved_CheckMarkAndGreen()
    {
        var message = SlackMessage.Build(AlertChanges.Resolved(AlertChanges.Firing(severity: AlertSeverity.Critical)));

        Assert.Equal("#2EB67D", message["attachments"]![0]!["color"]!.GetValue<string>());
        Assert.StartsWith("✅ [RESOLVED] ", Header(message), StringComparison.Ordinal);
        Assert.Contains(Fields(message), f => f == "*Resolved:*\n2026-01-05T09:20:00Z");
    }

    [Fact]
    public void Build_LongSummary_HeaderCutTo150WithEllipsis()
    {
        var message = SlackMessage.Build(AlertChanges.Firing(summary: new string('x', 400)));

        var header = Header(message);
        Assert.Equal(150, header.Length);
        Assert.EndsWith("x…", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SummaryCutInsideAnEmoji_NoHalfSurrogateLeft()
    {
        // "🔴 [P0] " is 8 UTF-16 units; after 140 x's an emoji's two units sit across the cut at 149.
        var message = SlackMessage.Build(AlertChanges.Firing(summary: new string('x', 140) + "🚨🚨🚨"));

        Assert.Equal("🔴 [P0] " + new string('x', 140) + "…", Header(message));
    }

    [Fact]
    public void Build_ManyLabels_AtMostTenFieldsValueAndLabelsFirst()
    {
        var labels = Enumerable.Range(0, 20).ToDictionary(i => $"label{i:00}", i => $"value{i}");
        var message = SlackMessage.Build(AlertChanges.Firing(extraLabels: labels));

        var fields = Fields(message);
        Assert.Equal(10, fields.Count);
        Assert.Equal("*Alert:*\nLLMSuccessRateCritical", fields[0]);
        Assert.Equal("*Severity:*\ncritical (P0)", fields[1]);
        Assert.Contains("*Value:*\n0.912", fields);
        Assert.Contains("*label00:*\nvalue0", fields);
    }

    [Fact]
    public void Build_AbsoluteRunbook_PrimaryButtonToIt()
    {
        var message = SlackMessage.Build(AlertChanges.Firing());

        var actions = message["attachments"]![0]!["blocks"]!.AsArray().Single(b => b!["type"]!.GetValue<string>() == "actions")!;
        var button = actions["elements"]![0]!;
        Assert.Equal("button", button["type"]!.GetValue<string>());
        Assert.Equal("https://runbooks.example.com/LLMSuccessRateCritical.md", button["url"]!.GetValue<string>());
        Assert.Equal("primary", button["style"]!.GetValue<string>());
    }

    [Fact]
    public void Build_RelativeRunbook_NoButton()
    {
        var message = SlackMessage.Build(AlertChanges.Firing(runbookUrl: "deploy/runbooks/LLMSuccessRateCritical.md"));

        Assert.DoesNotContain(message["attachments"]![0]!["blocks"]!.AsArray(), b => b!["type"]!.GetValue<string>() == "actions");
    }

    [Fact]
    public void Build_DescriptionWithMarkup_EscapedForMrkdwn()
    {
        var change = AlertChanges.Firing();
        change = change with { Annotations = new Dictionary<string, string>(change.Annotations) { ["description"] = "p99 > 15s & <rising>" } };

        var text = SlackMessage.Build(change)["attachments"]![0]!["blocks"]![1]!["text"]!["text"]!.GetValue<string>();

        Assert.Equal("p99 &gt; 15s &amp; &lt;rising&gt;", text);
    }

    private static string Header(JsonObject message) =>
        message["attachments"]![0]!["blocks"]![0]!["text"]!["text"]!.GetValue<string>();

    private static List<string> Fields(JsonObject message) =>
        [.. message["attachments"]![0]!["blocks"]!.AsArray().Single(b => b!["fields"] is not null)!["fields"]!.AsArray().Select(f => f!["text"]!.GetValue<string>())];
}
