using System.ComponentModel.DataAnnotations;
using Vigil.Pricing;

namespace Vigil.Configuration;

/// <summary>
/// Vigil's options, bound from the <c>Vigil</c> configuration section. Every default is the seed's
/// unless said otherwise.
/// </summary>
public sealed class VigilOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Vigil";

    /// <summary>The seed's refusal phrases (§2), English and Chinese.</summary>
    public static IReadOnlyList<string> DefaultRefusalPatterns { get; } =
        ["I cannot", "I can't", "I'm unable to", "I am unable to", "I apologize", "我无法", "抱歉,我不能", "抱歉，我不能", "作为 AI", "作为AI"];

    /// <summary>Model label values; others become <c>other</c>. Empty: the first <see cref="MaxLabelValues"/> seen.</summary>
    public IList<string> Models { get; } = [];

    /// <summary>Feature (endpoint) label values; others become <c>other</c>. Empty: the first <see cref="MaxLabelValues"/> seen.</summary>
    public IList<string> Features { get; } = [];

    /// <summary>User tier label values; others become <c>other</c>. Empty: the first <see cref="MaxLabelValues"/> seen.</summary>
    public IList<string> UserTiers { get; } = [];

    /// <summary>Distinct values admitted per label when no set is configured. Default 50.</summary>
    [Range(1, 10_000)]
    public int MaxLabelValues { get; set; } = 50;

    /// <summary>Phrases that mark a refusal when found in the first <see cref="RefusalScanLength"/> characters. Null: the seed's.</summary>
    public IList<string>? RefusalPatterns { get; set; }

    /// <summary>How many leading characters are searched for refusal phrases. Default 200 (the seed's).</summary>
    [Range(1, 100_000)]
    public int RefusalScanLength { get; set; } = 200;

    /// <summary>A reply with fewer non-blank characters is an empty response. Default 10 (the seed's).</summary>
    [Range(0, 10_000)]
    public int MinResponseLength { get; set; } = 10;

    /// <summary>Prices (USD per 1M tokens) that replace or add to the built-in catalog.</summary>
    public IDictionary<string, ModelPrice> Prices { get; } = new Dictionary<string, ModelPrice>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The price of a model not in the catalog. Null: the seed's 1.0 / 3.0.</summary>
    public ModelPrice? FallbackPrice { get; set; }

    /// <summary>Copy query and response text into interaction records. Off by default: text stays out of telemetry.</summary>
    public bool CaptureContent { get; set; }

    /// <summary>Feature when a call names none. Default <c>default</c>.</summary>
    [Required]
    public string DefaultFeature { get; set; } = "default";

    /// <summary>User tier when a call names none. Default <c>free</c>.</summary>
    [Required]
    public string DefaultUserTier { get; set; } = "free";

    /// <summary>The provider written into interaction records, e.g. <c>openai</c>; null: taken from the client's metadata.</summary>
    public string? Provider { get; set; }

    /// <summary>The refusal phrases in force.</summary>
    public IReadOnlyList<string> EffectiveRefusalPatterns => RefusalPatterns is { Count: > 0 } patterns ? [.. patterns] : DefaultRefusalPatterns;
}
