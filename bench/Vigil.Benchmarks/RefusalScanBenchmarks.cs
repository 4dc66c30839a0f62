using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Configuration;

namespace Vigil.Benchmarks;

/// <summary>
/// The soft-error check every successful call runs (<see cref="ErrorClassifier.ClassifyResponse"/>), its refusal scan
/// (<see cref="ErrorClassifier.IsRefusal"/>: ten phrases, one <c>Contains(OrdinalIgnoreCase)</c> each over the first
/// 200 characters), and two replacements: one <see cref="SearchValues{T}"/> of all ten phrases, and the suggested split:
/// the ASCII phrases in one case-insensitive <see cref="SearchValues{T}"/> (vectorized) plus an ordinal
/// <c>Contains</c> for each phrase without cased letters (the Chinese ones: ignoring case cannot change them).
/// Short is the 46-character reply the overhead benchmarks use; Long is a reply past the 200-character scan window.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class RefusalScanBenchmarks
{
    private const string ShortText = "Sure. Here is a short answer to your question.";

    private readonly ErrorClassifier _classifier = new();
    private readonly SearchValues<string> _allPhrases =
        SearchValues.Create([.. VigilOptions.DefaultRefusalPatterns], StringComparison.OrdinalIgnoreCase);

    private readonly SearchValues<string> _asciiPhrases =
        SearchValues.Create([.. VigilOptions.DefaultRefusalPatterns.Where(p => Ascii.IsValid(p))], StringComparison.OrdinalIgnoreCase);

    private readonly string[] _caselessPhrases =
        [.. VigilOptions.DefaultRefusalPatterns.Where(p => !Ascii.IsValid(p) && p.All(c => char.ToUpperInvariant(c) == c && char.ToLowerInvariant(c) == c))];

    private string _text = ShortText;

    [Params("Short", "Long")]
    public string Reply { get; set; } = "Short";

    [GlobalSetup]
    public void Setup() => _text = Reply == "Short"
        ? ShortText
        : string.Concat(Enumerable.Repeat("To reset your password, open Settings, choose Security, and follow the link we email you. ", 4));

    [Benchmark(Baseline = true, Description = "ClassifyResponse (today)")]
    public ErrorClassification? Classify() => _classifier.ClassifyResponse(_text, ChatFinishReason.Stop, false, false, false);

    [Benchmark(Description = "IsRefusal (today)")]
    public bool IsRefusal() => _classifier.IsRefusal(_text);

    [Benchmark(Description = "one SearchValues, all phrases")]
    public bool SearchValuesScan() => _text.AsSpan(0, Math.Min(_text.Length, 200)).ContainsAny(_allPhrases);

    [Benchmark(Description = "ASCII SearchValues + ordinal CJK (suggested)")]
    public bool SplitScan()
    {
        var head = _text.AsSpan(0, Math.Min(_text.Length, 200));
        if (head.ContainsAny(_asciiPhrases))
        {
            return true;
        }

        foreach (var phrase in _caselessPhrases)
        {
            if (head.Contains(phrase, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
