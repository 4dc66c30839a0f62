using System.Text;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Configuration;
using Vigil.Records;

namespace Vigil.Tests.Classification;

/// <summary>
/// The refusal scan gives exactly the answer of one <c>Contains(phrase, OrdinalIgnoreCase)</c> per phrase (what it
/// replaced), and the properties of the runtime's case mapping it relies on hold.
/// </summary>
public sealed class RefusalScannerTests
{
    private static readonly string[] Defaults = [.. VigilOptions.DefaultRefusalPatterns];

    [Theory]
    [InlineData("I cannot help with that.", true)]
    [InlineData("i CANNOT help with that.", true)]
    [InlineData("Well, I Can't do that.", true)]
    [InlineData("I'M UNABLE TO comply.", true)]
    [InlineData("i apologize for the confusion", true)]
    [InlineData("Sure. Here is a short answer to your question.", false)]
    [InlineData("I can help with that.", false)]
    [InlineData("我无法回答这个问题", true)]
    [InlineData("抱歉,我不能回答", true)]
    [InlineData("抱歉，我不能回答", true)]
    [InlineData("抱歉 我不能回答", false)]
    [InlineData("作为 AI 助手，我不会", true)]
    [InlineData("作为 ai 助手", true)]
    [InlineData("作为Ai助手", true)]
    [InlineData("作为 A I", false)]
    [InlineData("作为一个人", false)]
    [InlineData("好的，这是答案。", false)]
    [InlineData("Mixed 中文 and English: i cannot", true)]
    [InlineData("", false)]
    public void IsMatch_DefaultPhrases_AnswersLikeContainsIgnoringCase(string text, bool expected)
    {
        var scanner = new RefusalScanner(Defaults);

        Assert.Equal(expected, scanner.IsMatch(text));
        Assert.Equal(expected, Naive(Defaults, text));
    }

    [Fact]
    public void IsRefusal_PhrasePastTheScanWindow_IsNotFound()
    {
        var classifier = new ErrorClassifier(new VigilOptions { RefusalScanLength = 20 });

        Assert.True(classifier.IsRefusal("0123456789 I cannot"));      // ends at 19
        Assert.False(classifier.IsRefusal("01234567890123 I cannot")); // straddles 20
        Assert.True(classifier.IsRefusal("012345678901 我无法回答"));     // ends at 15
        Assert.False(classifier.IsRefusal("01234567890123456789 我无法"));
    }

    [Fact]
    public void IsMatch_CustomPhrases_CoverEveryKindOfPhrase()
    {
        // ASCII; caseless non-ASCII; non-ASCII with case and a caseless anchor; non-ASCII with no caseless character.
        string[] phrases = ["Nope", "無理です", "Я не могу", "ΣΑΣ", "ſtop"];
        var scanner = new RefusalScanner(phrases);

        Assert.True(scanner.IsMatch("well NOPE"));
        Assert.True(scanner.IsMatch("それは無理です"));
        Assert.True(scanner.IsMatch("я НЕ МОГУ это сделать"));
        Assert.False(scanner.IsMatch("я не-могу"));
        Assert.True(scanner.IsMatch("σας"));
        Assert.True(scanner.IsMatch("xx ſTOP"));
        Assert.False(scanner.IsMatch("stop")); // the long s is not s under OrdinalIgnoreCase
        foreach (var text in new[] { "well NOPE", "それは無理です", "я НЕ МОГУ это сделать", "я не-могу", "σας", "xx ſTOP", "stop" })
        {
            Assert.Equal(Naive(phrases, text), scanner.IsMatch(text));
        }
    }

    [Fact]
    public void IsMatch_EmptyPhrase_MatchesEveryTextAsContainsDoes()
    {
        var scanner = new RefusalScanner(["I cannot", ""]);

        Assert.True(scanner.IsMatch("anything"));
        Assert.True(scanner.IsMatch(string.Empty));
        Assert.False(new RefusalScanner([]).IsMatch("I cannot"));
    }

    [Fact]
    public void IsMatch_RandomTexts_AgreesWithContainsIgnoringCase()
    {
        // Texts built from pieces of the phrases, their case-flipped forms, and characters that trip case-insensitive
        // search: the Kelvin sign, dotless and dotted i, long s, sigmas, full-width letters, a cased surrogate pair.
        string[][] phraseSets =
        [
            Defaults,
            ["Nope", "無理です", "Я не могу", "ΣΑΣ", "ſtop", "kelvin", "İstanbul", "𐐀𐐨", "a 𐐀"],
        ];
        string[] noise = ["K", "k", "\u212A", "ı", "İ", "i", "I", "ſ", "s", "Σ", "σ", "ς", "Ａ", "ａ", "𐐀", "𐐨", "\uD801", " ", ",", "，", "作", "为", "AI", "ai", "中", "x", "\n"];
        var random = new Random(20251128);
        var checkedTexts = 0;
        foreach (var phrases in phraseSets)
        {
            var scanner = new RefusalScanner(phrases);
            var pieces = phrases.SelectMany(Pieces).Concat(noise).ToArray();
            for (var i = 0; i < 20_000; i++)
            {
                var builder = new StringBuilder();
                var count = random.Next(0, 8);
                for (var p = 0; p < count; p++)
                {
                    builder.Append(pieces[random.Next(pieces.Length)]);
                }

                var text = builder.ToString();
                Assert.True(Naive(phrases, text) == scanner.IsMatch(text), $"disagrees on \"{text}\"");
                checkedTexts++;
            }
        }

        Assert.Equal(40_000, checkedTexts);
    }

    [Fact]
    public void Runtime_CaselessCharacter_EqualsNoOtherCharacterIgnoringCase()
    {
        // The anchor search needs this: a caseless character matches only itself under OrdinalIgnoreCase.
        foreach (var (c, other) in CharactersEqualIgnoringCase())
        {
            Assert.False(RefusalScanner.IsCaseless(c), $"U+{(int)c:X4} is taken as caseless but equals U+{(int)other:X4} ignoring case");
        }
    }

    [Fact]
    public void Runtime_AsciiCharacter_EqualsNoNonAsciiCharacterIgnoringCase()
    {
        // The all-ASCII shortcut needs this: ASCII text cannot hold a non-ASCII phrase, even ignoring case.
        foreach (var (c, other) in CharactersEqualIgnoringCase())
        {
            Assert.False(char.IsAscii(c) && !char.IsAscii(other), $"U+{(int)c:X4} equals U+{(int)other:X4} ignoring case");
        }
    }

    [Theory]
    [InlineData("Sure. Here is a short answer to your question.", false)]
    [InlineData("I cannot help with that.", false)]
    [InlineData("我无法回答这个问题", false)]
    [InlineData("   ", false)]
    [InlineData("{\"a\": 1, \"b\": [true, null]}", true)]
    [InlineData("{\"a\": 1,", true)]
    [InlineData("not json at all, but long enough", true)]
    public void ClassifyResponse_Span_AnswersLikeString(string text, bool jsonRequested)
    {
        var classifier = new ErrorClassifier();

        var fromString = classifier.ClassifyResponse(text, ChatFinishReason.Stop, jsonRequested, hasToolCalls: false, toolFailed: false);
        var fromSpan = classifier.ClassifyResponse(text.AsSpan(), null, ChatFinishReason.Stop, jsonRequested, hasToolCalls: false, toolFailed: false, refused: false);

        Assert.Equal(fromString, fromSpan);
    }

    [Fact]
    public void ClassifyResponse_SoftErrors_KeepTheirCategoryAndSeverity()
    {
        var classifier = new ErrorClassifier();

        Assert.Equal(new ErrorClassification(ErrorType.SafetyFilter, "safety_filter", false, null, false, ErrorSeverity.High),
            classifier.ClassifyResponse("fine text here", ChatFinishReason.ContentFilter, false, false, false));
        Assert.Equal(new ErrorClassification(ErrorType.ToolFailure, "tool_failure", false, null, false, ErrorSeverity.Medium),
            classifier.ClassifyResponse("fine text here", ChatFinishReason.Stop, false, false, toolFailed: true));
        Assert.Equal(new ErrorClassification(ErrorType.Refusal, "refusal", false, null, false, ErrorSeverity.Low),
            classifier.ClassifyResponse("I cannot do this", ChatFinishReason.Stop, false, false, false));
        Assert.Equal(new ErrorClassification(ErrorType.EmptyResponse, "empty_response", false, null, false, ErrorSeverity.Medium),
            classifier.ClassifyResponse("short", ChatFinishReason.Stop, false, false, false));
        Assert.Equal(new ErrorClassification(ErrorType.FormatError, "format_error", false, null, false, ErrorSeverity.Medium),
            classifier.ClassifyResponse("{ this is not json", ChatFinishReason.Stop, jsonRequested: true, false, false));
    }

    private static bool Naive(IEnumerable<string> phrases, string text) =>
        phrases.Any(p => text.AsSpan().Contains(p, StringComparison.OrdinalIgnoreCase));

    private static IEnumerable<string> Pieces(string phrase)
    {
        yield return phrase;
        yield return phrase.ToUpperInvariant();
        yield return phrase.ToLowerInvariant();
        yield return phrase[..(phrase.Length / 2)];
        yield return phrase[(phrase.Length / 2)..];
        yield return phrase[..^1];
    }

    // Every ordered pair of distinct UTF-16 code units equal under OrdinalIgnoreCase. Equal strings have equal
    // OrdinalIgnoreCase hash codes, so sorting by hash and comparing within runs of equal hashes finds every pair.
    // (Allocation-light: other tests of this assembly measure the process's memory while this runs.)
    private static List<(char, char)> CharactersEqualIgnoringCase()
    {
        var hashes = new int[char.MaxValue + 1];
        var chars = new char[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            chars[i] = (char)i;
            hashes[i] = string.GetHashCode(new ReadOnlySpan<char>(in chars[i]), StringComparison.OrdinalIgnoreCase);
        }

        Array.Sort(hashes, chars);
        var pairs = new List<(char, char)>();
        for (var start = 0; start < hashes.Length;)
        {
            var end = start + 1;
            while (end < hashes.Length && hashes[end] == hashes[start])
            {
                end++;
            }

            for (var a = start; a < end; a++)
            {
                for (var b = start; b < end; b++)
                {
                    if (a != b && new ReadOnlySpan<char>(in chars[a]).Equals(new ReadOnlySpan<char>(in chars[b]), StringComparison.OrdinalIgnoreCase))
                    {
                        pairs.Add((chars[a], chars[b]));
                    }
                }
            }

            start = end;
        }

        Assert.Contains(('a', 'A'), pairs); // the search itself works
        return pairs;
    }
}
