using System.Text;
using Microsoft.Extensions.AI;
using Vigil.Classification;

namespace Vigil.ChatClients;

/// <summary>
/// The seed's <c>LatencyBreakdown</c> for one stream: first and last token times, token chunk count,
/// plus what the classifier needs (text up to a cap, finish reason, usage, tool calls).
/// </summary>
internal sealed class StreamTracker(int textCap)
{
    private StringBuilder? _text;

    public long FirstTokenTimestamp { get; private set; }
    public long LastTokenTimestamp { get; private set; }
    public int TokenChunks { get; private set; }
    public ChatFinishReason? FinishReason { get; private set; }
    public UsageDetails? Usage { get; private set; }
    public bool HasToolCalls { get; private set; }
    public bool ToolFailed { get; private set; }
    public bool Refused { get; private set; }
    public bool TextTruncated { get; private set; }
    public string? ResponseId { get; private set; }
    public string? ModelId { get; private set; }
    public string? Degradation { get; private set; }

    public string Text => _text?.ToString() ?? string.Empty;

    public void Observe(ChatResponseUpdate update, long timestamp)
    {
        ResponseId ??= update.ResponseId;
        ModelId ??= update.ModelId;
        if (update.FinishReason is { } reason)
        {
            FinishReason = reason;
        }

        var sawToken = false;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    sawToken = true;
                    Append(text.Text);
                    break;
                case FunctionCallContent:
                    sawToken = true;
                    HasToolCalls = true;
                    break;
                case FunctionResultContent { Exception: not null }:
                    ToolFailed = true;
                    break;
                case UsageContent usage:
                    Usage = usage.Details;
                    break;
                case ErrorContent error when ErrorClassifier.IsRefusalContent(error):
                    Refused = true;
                    break;
            }
        }

        if (update.AdditionalProperties?.TryGetValue(VigilChatOptions.DegradationKey, out var mode) == true)
        {
            Degradation = mode?.ToString();
        }

        if (sawToken)
        {
            if (TokenChunks == 0)
            {
                FirstTokenTimestamp = timestamp;
            }

            TokenChunks++;
            LastTokenTimestamp = timestamp;
        }
    }

    private void Append(string text)
    {
        _text ??= new StringBuilder();
        var room = textCap - _text.Length;
        if (room <= 0)
        {
            TextTruncated = true;
            return;
        }

        if (text.Length > room)
        {
            _text.Append(text.AsSpan(0, room));
            TextTruncated = true;
        }
        else
        {
            _text.Append(text);
        }
    }
}
