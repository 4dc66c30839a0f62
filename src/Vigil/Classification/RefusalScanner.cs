using System.Buffers;
using System.Text;

namespace Vigil.Classification;

/// <summary>
/// Answers "does this text contain any of these phrases, ignoring case (<see cref="StringComparison.OrdinalIgnoreCase"/>)?"
/// with the same result as one <c>Contains(phrase, OrdinalIgnoreCase)</c> per phrase, at a fraction of the cost.
/// </summary>
/// <remarks>
/// <para>
/// Non-ASCII phrases keep <c>Contains(OrdinalIgnoreCase)</c> off its vectorized path, and so does a single
/// <see cref="SearchValues{T}"/> that holds them. The phrases are therefore split at construction:
/// </para>
/// <list type="bullet">
/// <item>ASCII phrases go into one case-insensitive <see cref="SearchValues{T}"/> (vectorized).</item>
/// <item>A non-ASCII phrase is searched by an anchor: its longest run of caseless characters (CJK text, spaces and
/// punctuation), found with an ordinal search. A caseless character matches only itself under
/// <see cref="StringComparison.OrdinalIgnoreCase"/>, and ignoring case never changes a length, so a match of the phrase
/// must hold the anchor at the same offset. Each ordinal hit is confirmed by comparing the whole window ignoring case.
/// A phrase made only of caseless characters needs no confirmation.</item>
/// <item>A non-ASCII phrase without any caseless character keeps <c>Contains(OrdinalIgnoreCase)</c>.</item>
/// </list>
/// <para>
/// No ASCII character equals a non-ASCII one under <see cref="StringComparison.OrdinalIgnoreCase"/> (the Kelvin sign is
/// not <c>k</c>, the dotless i is not <c>I</c>), so text that is all ASCII cannot contain a non-ASCII phrase and skips
/// those searches. The tests check these properties of the runtime over every UTF-16 code unit.
/// </para>
/// </remarks>
internal sealed class RefusalScanner
{
    private readonly SearchValues<string>? _ascii;
    private readonly Anchored[] _anchored;
    private readonly string[] _fallback;
    private readonly bool _matchesEverything;

    /// <summary>Prepares the search for <paramref name="phrases"/>; an empty (or null) phrase is in every text.</summary>
    public RefusalScanner(IEnumerable<string?> phrases)
    {
        ArgumentNullException.ThrowIfNull(phrases);
        var ascii = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var anchored = new List<Anchored>();
        var fallback = new List<string>();
        foreach (var phrase in phrases)
        {
            if (string.IsNullOrEmpty(phrase))
            {
                // Contains("") is true for every text, the empty one included.
                _matchesEverything = true;
            }
            else if (Ascii.IsValid(phrase))
            {
                ascii.Add(phrase);
            }
            else if (LongestCaselessRun(phrase) is { Length: > 0 } run)
            {
                anchored.Add(new Anchored(phrase, phrase.Substring(run.Start, run.Length), run.Start, run.Length == phrase.Length));
            }
            else
            {
                fallback.Add(phrase);
            }
        }

        _ascii = ascii.Count > 0 ? SearchValues.Create([.. ascii], StringComparison.OrdinalIgnoreCase) : null;
        _anchored = [.. anchored];
        _fallback = [.. fallback];
    }

    /// <summary>True when <paramref name="text"/> contains one of the phrases, ignoring case.</summary>
    public bool IsMatch(ReadOnlySpan<char> text)
    {
        if (_matchesEverything)
        {
            return true;
        }

        if (_ascii is not null && text.ContainsAny(_ascii))
        {
            return true;
        }

        if ((_anchored.Length == 0 && _fallback.Length == 0) || Ascii.IsValid(text))
        {
            return false;
        }

        foreach (var phrase in _anchored)
        {
            if (phrase.IsIn(text))
            {
                return true;
            }
        }

        foreach (var phrase in _fallback)
        {
            if (text.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="c"/> equals no other character under <see cref="StringComparison.OrdinalIgnoreCase"/>:
    /// neither upper- nor lower-casing changes it, and it is not half of a surrogate pair (whose pair may have case).
    /// </summary>
    internal static bool IsCaseless(char c) =>
        !char.IsSurrogate(c) && char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c;

    private static (int Start, int Length) LongestCaselessRun(string phrase)
    {
        (int Start, int Length) best = (0, 0);
        var start = 0;
        for (var i = 0; i <= phrase.Length; i++)
        {
            if (i < phrase.Length && IsCaseless(phrase[i]))
            {
                continue;
            }

            if (i - start > best.Length)
            {
                best = (start, i - start);
            }

            start = i + 1;
        }

        return best;
    }

    private sealed class Anchored(string phrase, string anchor, int offset, bool anchorIsPhrase)
    {
        public bool IsIn(ReadOnlySpan<char> text)
        {
            if (anchorIsPhrase)
            {
                return text.Contains(anchor, StringComparison.Ordinal);
            }

            // Every ordinal hit of the anchor is a candidate; the window around it must equal the phrase ignoring case.
            var searched = 0;
            while (searched < text.Length)
            {
                var hit = text[searched..].IndexOf(anchor, StringComparison.Ordinal);
                if (hit < 0)
                {
                    return false;
                }

                var start = searched + hit - offset;
                if (start >= 0 && start + phrase.Length <= text.Length
                    && text.Slice(start, phrase.Length).Equals(phrase, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                searched += hit + 1;
            }

            return false;
        }
    }
}
