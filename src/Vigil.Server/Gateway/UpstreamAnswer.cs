using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Vigil.Server.Gateway;

/// <summary>
/// What the gateway learns from the upstream's answer as it passes: the model, the text (its first
/// <see cref="MaxText"/> characters, enough to classify), the finish reason, tool calls, the usage, and when the first
/// token came. Read from one JSON body or from the chunks of an SSE stream.
/// </summary>
internal sealed class UpstreamAnswer
{
    /// <summary>The most characters of the answer kept for classification (and the record's response).</summary>
    public const int MaxText = 64 * 1024;

    private readonly StringBuilder _text = new();

    /// <summary>The model that answered, when the answer says.</summary>
    public string? Model { get; private set; }

    /// <summary>The answer's text, at most <see cref="MaxText"/> characters.</summary>
    public string Text => _text.ToString();

    /// <summary>True when the text was cut at <see cref="MaxText"/>.</summary>
    public bool Truncated { get; private set; }

    /// <summary>The first choice's <c>finish_reason</c>.</summary>
    public string? FinishReason { get; private set; }

    /// <summary>The answer called tools.</summary>
    public bool HasToolCalls { get; private set; }

    /// <summary><c>usage.prompt_tokens</c>.</summary>
    public long? InputTokens { get; private set; }

    /// <summary><c>usage.completion_tokens</c>.</summary>
    public long? OutputTokens { get; private set; }

    /// <summary><c>usage.prompt_tokens_details.cached_tokens</c>.</summary>
    public long? CachedTokens { get; private set; }

    /// <summary><see cref="Stopwatch"/> timestamp of the first chunk that carried content or a tool call (streams only).</summary>
    public long? FirstTokenTimestamp { get; private set; }

    /// <summary><see cref="Stopwatch"/> timestamp of the last chunk that carried content or a tool call (streams only).</summary>
    public long LastTokenTimestamp { get; private set; }

    /// <summary>How many chunks carried content or a tool call (streams only).</summary>
    public int TokenChunks { get; private set; }

    /// <summary>True once a body or a chunk was read.</summary>
    public bool Seen { get; private set; }

    /// <summary>Reads a whole JSON answer (chat completion or embeddings).</summary>
    public void ReadBody(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            Read(document.RootElement, streamed: false);
        }
        catch (JsonException)
        {
            // Not JSON (an upstream error page, say): nothing to learn.
        }
    }

    /// <summary>Reads one SSE chunk's JSON; true when it is the usage-only chunk (no choices, a usage).</summary>
    public bool ReadChunk(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            Read(root, streamed: true);
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() == 0
                && root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void Read(JsonElement root, bool streamed)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        Seen = true;
        if (root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String)
        {
            Model = model.GetString();
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            InputTokens = Long(usage, "prompt_tokens") ?? InputTokens;
            OutputTokens = Long(usage, "completion_tokens") ?? OutputTokens;
            if (usage.TryGetProperty("prompt_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object)
            {
                CachedTokens = Long(details, "cached_tokens") ?? CachedTokens;
            }
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return;
        }

        var choice = choices[0];
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
        {
            FinishReason = finish.GetString();
        }

        if (!choice.TryGetProperty(streamed ? "delta" : "message", out var message) || message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var carried = false;
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            var text = content.GetString();
            if (!string.IsNullOrEmpty(text))
            {
                Append(text);
                carried = true;
            }
        }

        if (message.TryGetProperty("refusal", out var refusal) && refusal.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(refusal.GetString()))
        {
            FinishReason ??= "refusal";
            carried = true;
        }

        if (message.TryGetProperty("tool_calls", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0)
        {
            HasToolCalls = true;
            carried = true;
        }

        if (streamed && carried)
        {
            LastTokenTimestamp = Stopwatch.GetTimestamp();
            FirstTokenTimestamp ??= LastTokenTimestamp;
            TokenChunks++;
        }
    }

    private void Append(string text)
    {
        var room = MaxText - _text.Length;
        if (room <= 0)
        {
            Truncated = true;
            return;
        }

        if (text.Length > room)
        {
            _text.Append(text, 0, room);
            Truncated = true;
            return;
        }

        _text.Append(text);
    }

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;
}
