using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Records;

namespace Vigil.ChatClients;

/// <summary>
/// The seed's <c>LatencyBreakdown</c> for one stream: first and last token times, token chunk count,
/// plus what the classifier needs (text up to a cap, finish reason, usage, tool calls).
/// </summary>
/// <remarks>
/// A mutable struct that lives inside the streaming iterator (never copied: use it through the local or by
/// <see langword="ref"/>). The text is kept in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, grown up to the cap,
/// and handed back by <see cref="ReleaseText"/>; the caller makes a string of it only when it needs one.
/// </remarks>
internal struct StreamTracker(int textCap)
{
    private const int FirstBufferLength = 256;

    private char[]? _text;
    private int _length;

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

    /// <summary>The cache outcome a caching client inside marked an update with.</summary>
    public CacheOutcome? Cache;

    /// <summary>Beside <see cref="Cache"/>: the kind of cache.</summary>
    public CacheType? CacheType;

    /// <summary>The text seen so far, up to the cap. Valid until <see cref="ReleaseText"/>.</summary>
    public readonly ReadOnlySpan<char> Text => _text.AsSpan(0, _length);

    /// <summary>Takes in one update; true when it carries a token (then call <see cref="MarkToken"/> with its time).</summary>
    public bool Observe(ChatResponseUpdate update)
    {
        ResponseId ??= update.ResponseId;
        ModelId ??= update.ModelId;
        if (update.FinishReason is { } reason)
        {
            FinishReason = reason;
        }

        var sawToken = false;
        var contents = update.Contents;
        for (var i = 0; i < contents.Count; i++)
        {
            switch (contents[i])
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

        VigilChatOptions.ReadCache(update.AdditionalProperties, ref Cache, ref CacheType);

        return sawToken;
    }

    /// <summary>Counts a token chunk seen at <paramref name="timestamp"/>.</summary>
    public void MarkToken(long timestamp)
    {
        if (TokenChunks == 0)
        {
            FirstTokenTimestamp = timestamp;
        }

        TokenChunks++;
        LastTokenTimestamp = timestamp;
    }

    /// <summary>Returns the text buffer to the pool; <see cref="Text"/> is empty afterwards.</summary>
    public void ReleaseText()
    {
        if (_text is { } buffer)
        {
            _text = null;
            _length = 0;
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private void Append(string text)
    {
        var room = textCap - _length;
        if (room <= 0)
        {
            TextTruncated = true;
            return;
        }

        var take = text.Length;
        if (take > room)
        {
            take = room;
            TextTruncated = true;
        }

        if (_text is null || _text.Length - _length < take)
        {
            Grow(_length + take);
        }

        text.AsSpan(0, take).CopyTo(_text.AsSpan(_length));
        _length += take;
    }

    [MemberNotNull(nameof(_text))]
    private void Grow(int needed)
    {
        var length = Math.Min(textCap, Math.Max(needed, Math.Max(FirstBufferLength, (_text?.Length ?? 0) * 2)));
        var bigger = ArrayPool<char>.Shared.Rent(length);
        if (_text is { } old)
        {
            old.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<char>.Shared.Return(old);
        }

        _text = bigger;
    }
}
