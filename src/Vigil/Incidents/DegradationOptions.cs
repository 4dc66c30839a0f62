using System.ComponentModel.DataAnnotations;

namespace Vigil.Incidents;

/// <summary>How a degrading client answers in each mode. Bound from <c>Vigil:Degradation</c>.</summary>
public sealed class DegradationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Degradation";

    /// <summary>The <see cref="Microsoft.Extensions.AI.ChatOptions.AdditionalProperties"/> key naming a call's language (e.g. <c>zh</c>, <c>en-US</c>).</summary>
    public const string LanguageKey = "vigil.language";

    /// <summary>The seed's static reply (§9).</summary>
    public const string DefaultChineseResponse = "抱歉,系统暂时繁忙,请稍后再试或联系人工客服。";

    /// <summary>The English equivalent of the seed's static reply.</summary>
    public const string DefaultEnglishResponse = "Sorry, the system is busy right now. Please try again later or contact a human agent.";

    /// <summary>
    /// The static reply per language (<c>static_response</c>, a cache miss under <c>cached_only</c>). Default: <c>zh</c> the
    /// seed's reply, <c>en</c> its English equivalent. A call's language matches exactly, else by its primary subtag
    /// (<c>zh-CN</c> → <c>zh</c>), else <see cref="DefaultLanguage"/> is used.
    /// </summary>
    public IDictionary<string, string> StaticResponses { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["zh"] = DefaultChineseResponse,
        ["en"] = DefaultEnglishResponse,
    };

    /// <summary>The language of a call that names none (or one without a reply). Default <c>zh</c> (the seed's).</summary>
    [Required]
    public string DefaultLanguage { get; set; } = "zh";

    /// <summary>
    /// Under <c>fallback_model</c> without a fallback client: the model id set in the call's <c>ChatOptions.ModelId</c>
    /// for the same inner client. Null (default) and no fallback client: the static reply answers.
    /// </summary>
    public string? FallbackModelId { get; set; }

    /// <summary>Under <c>normal</c>, store answers in the response cache so <c>cached_only</c> has something to serve. Default true.</summary>
    public bool WriteThrough { get; set; } = true;

    /// <summary>
    /// Where an app's mode comes from: <see cref="DegradationSource.Local"/> (default) its own responder,
    /// <see cref="DegradationSource.Collector"/> the collector at <c>Vigil:Collector:Endpoint</c> (<c>GET /v1/incident</c>).
    /// </summary>
    public DegradationSource Source { get; set; } = DegradationSource.Local;

    /// <summary>With <see cref="DegradationSource.Collector"/>: how often the collector is asked. Default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The static reply for <paramref name="language"/> (null: <see cref="DefaultLanguage"/>).</summary>
    public string StaticResponseFor(string? language)
    {
        if (language is { Length: > 0 })
        {
            if (StaticResponses.TryGetValue(language, out var exact))
            {
                return exact;
            }

            var dash = language.IndexOfAny(['-', '_']);
            if (dash > 0 && StaticResponses.TryGetValue(language[..dash], out var primary))
            {
                return primary;
            }
        }

        return StaticResponses.TryGetValue(DefaultLanguage, out var fallback) ? fallback
            : StaticResponses.Values.FirstOrDefault() ?? DefaultChineseResponse;
    }
}
