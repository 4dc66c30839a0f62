using System.Text.RegularExpressions;
using Vigil.Records;
using Vigil.Server.Hosting;

namespace Vigil.Server.Content;

/// <summary>Applies the configured <see cref="ContentMode"/> to a record's text before it is stored.</summary>
public sealed partial class ContentRedactor(ContentMode mode)
{
    /// <summary>The record as it may be stored.</summary>
    public InteractionRecord Apply(InteractionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (mode == ContentMode.Store || (record.Query is null && record.Response is null && record.Context is null))
        {
            return record;
        }

        return mode == ContentMode.Drop
            ? record with { Query = null, Response = null, Context = null }
            : record with { Query = Redact(record.Query), Response = Redact(record.Response), Context = Redact(record.Context) };
    }

    /// <summary>The feedback as it may be stored (its comment is user text too).</summary>
    public FeedbackRecord Apply(FeedbackRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return mode switch
        {
            ContentMode.Redact when record.Comment is not null => record with { Comment = Redact(record.Comment) },
            _ => record,
        };
    }

    /// <summary>Masks e-mail addresses, secrets, card and phone numbers.</summary>
    public static string? Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        text = Email().Replace(text, "[email]");
        text = Secret().Replace(text, "[secret]");
        text = Card().Replace(text, "[card]");
        return Phone().Replace(text, "[phone]");
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Email();

    [GeneratedRegex(@"\b(?:sk|pk|rk|ghp|gho|xox[abp])[-_][A-Za-z0-9_\-]{16,}\b|\bBearer\s+[A-Za-z0-9._\-]{16,}", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Secret();

    [GeneratedRegex(@"\b(?:\d[ \-]?){13,19}\b", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Card();

    [GeneratedRegex(@"(?<!\w)\+?\d[\d \-()]{7,}\d(?!\w)", RegexOptions.CultureInvariant, 1000)]
    private static partial Regex Phone();
}
