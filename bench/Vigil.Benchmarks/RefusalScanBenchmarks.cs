using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Microsoft.Extensions.AI;
using Vigil.Classification;
using Vigil.Configuration;

namespace Vigil.Benchmarks;

/// <summary>
/// The soft-error check every successful call runs (<see cref="ErrorClassifier.ClassifyResponse(string?, ChatFinishReason?, bool, bool, bool, bool)"/>)
/// and its refusal scan (<see cref="ErrorClassifier.IsRefusal(string)"/>, now a <c>RefusalScanner</c>), next to the scan it
/// replaced (one <c>Contains(OrdinalIgnoreCase)</c> per phrase over the first 200 characters) and to one
/// <see cref="SearchValues{T}"/> of all ten phrases. Short is the 46-character reply the overhead benchmarks use; Long is
/// a reply past the 200-character scan window; Chinese is a Chinese reply past the window (the non-ASCII phrases are
/// searched only when the text is not all ASCII).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByParams)]
public class RefusalScanBenchmarks
{
    private const string ShortText = "Sure. Here is a short answer to your question.";
    private const int ScanLength = 200;

    private readonly ErrorClassifier _classifier = new();
    private readonly string[] _phrases = [.. VigilOptions.DefaultRefusalPatterns];
    private readonly SearchValues<string> _allPhrases =
        SearchValues.Create([.. VigilOptions.DefaultRefusalPatterns], StringComparison.OrdinalIgnoreCase);

    private string _text = ShortText;

    [Params("Short", "Long", "Chinese")]
    public string Reply { get; set; } = "Short";

    [GlobalSetup]
    public void Setup() => _text = Reply switch
    {
        "Short" => ShortText,
        "Long" => string.Concat(Enumerable.Repeat("To reset your password, open Settings, choose Security, and follow the link we email you. ", 4)),
        _ => string.Concat(Enumerable.Repeat("要重置密码，请打开设置，选择安全，然后点击我们发给你的邮件中的链接。", 8)),
    };

    [Benchmark(Description = "ClassifyResponse")]
    public ErrorClassification? Classify() => _classifier.ClassifyResponse(_text, ChatFinishReason.Stop, false, false, false);

    [Benchmark(Description = "IsRefusal (RefusalScanner)")]
    public bool IsRefusal() => _classifier.IsRefusal(_text);

    [Benchmark(Baseline = true, Description = "before: Contains(OrdinalIgnoreCase) per phrase")]
    public bool PerPhraseContains()
    {
        var head = _text.AsSpan(0, Math.Min(_text.Length, ScanLength));
        foreach (var phrase in _phrases)
        {
            if (head.Contains(phrase, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    [Benchmark(Description = "one SearchValues, all phrases")]
    public bool SearchValuesScan() => _text.AsSpan(0, Math.Min(_text.Length, ScanLength)).ContainsAny(_allPhrases);
}
