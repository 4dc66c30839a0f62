using System.Text.Json.Nodes;

namespace Vigil.Alerting.Notifications;

/// <summary>
/// The seed's Slack message (§7, <c>SlackAlertNotifier</c>): an attachment coloured by severity holding Block Kit
/// blocks — a header with the severity's emoji (🔴 critical, 🟠 high, 🟡 warning, ℹ️ info, ✅ resolved), the
/// description, at most 10 fields (alert, severity, status, value, times, labels) and a runbook button when the
/// <c>runbook_url</c> is absolute. Slack's limits are kept: a header of at most 150 characters, fields of 2000, text of 3000.
/// </summary>
internal static class SlackMessage
{
    /// <summary>Slack's limit on a header block's text.</summary>
    public const int MaxHeaderLength = 150;

    /// <summary>Slack's limit on the fields of a section block.</summary>
    public const int MaxFields = 10;

    private const int MaxFieldLength = 2000;
    private const int MaxTextLength = 3000;

    /// <summary>The colour of a resolved alert (Slack's green).</summary>
    public const string ResolvedColor = "#2EB67D";

    /// <summary>The emoji of a resolved alert.</summary>
    public const string ResolvedEmoji = "✅";

    /// <summary>The seed's colour per severity.</summary>
    public static string Color(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "#FF0000",
        AlertSeverity.High => "#FF8C00",
        AlertSeverity.Warning => "#FFD700",
        _ => "#36A2EB",
    };

    /// <summary>The seed's emoji per severity.</summary>
    public static string Emoji(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "🔴",
        AlertSeverity.High => "🟠",
        AlertSeverity.Warning => "🟡",
        _ => "ℹ️",
    };

    /// <summary>The message's JSON body.</summary>
    public static JsonObject Build(AlertStateChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var resolved = change.Status == AlertStatus.Resolved;
        var title = resolved
            ? $"{ResolvedEmoji} [RESOLVED] {AlertText.Summary(change)}"
            : $"{Emoji(change.Severity)} [{change.Severity.ToPriority()}] {AlertText.Summary(change)}";
        var blocks = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "header",
                ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = AlertText.Truncate(title, MaxHeaderLength), ["emoji"] = true },
            },
            new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = AlertText.Truncate(Escape(AlertText.Description(change) ?? AlertText.Summary(change)), MaxTextLength) },
            },
            new JsonObject { ["type"] = "section", ["fields"] = Fields(change) },
        };
        if (AlertText.AbsoluteRunbookUrl(change) is { } runbook)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["type"] = "button",
                        ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = "📖 View runbook", ["emoji"] = true },
                        ["url"] = runbook,
                        ["style"] = "primary",
                    },
                },
            });
        }

        return new JsonObject
        {
            ["text"] = AlertText.Truncate(title, MaxTextLength), // the notification's fallback text
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["color"] = resolved ? ResolvedColor : Color(change.Severity), ["blocks"] = blocks },
            },
        };
    }

    private static JsonArray Fields(AlertStateChange change)
    {
        var fields = new List<(string Key, string Value)>
        {
            ("Alert", change.Name),
            ("Severity", $"{change.Severity.ToLabel()} ({change.Severity.ToPriority()})"),
            ("Status", change.Status == AlertStatus.Resolved ? "resolved" : "firing"),
        };
        if (AlertText.Value(change.Value) is { } value)
        {
            fields.Add(("Value", value));
        }

        fields.Add(("Started", AlertText.Time(change.StartsAt)));
        if (change.Status == AlertStatus.Resolved && change.EndsAt is { } endsAt)
        {
            fields.Add(("Resolved", AlertText.Time(endsAt)));
        }

        foreach (var (key, label) in change.Labels.Where(l => l.Key is not ("alertname" or "severity")).OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            fields.Add((key, label));
        }

        var array = new JsonArray();
        foreach (var (key, text) in fields.Take(MaxFields))
        {
            array.Add(new JsonObject { ["type"] = "mrkdwn", ["text"] = AlertText.Truncate($"*{Escape(key)}:*\n{Escape(text)}", MaxFieldLength) });
        }

        return array;
    }

    // Slack's mrkdwn takes &, < and > as control characters.
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
