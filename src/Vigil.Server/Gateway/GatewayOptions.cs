using System.ComponentModel.DataAnnotations;

namespace Vigil.Server.Gateway;

/// <summary>
/// The gateway's options, bound from <c>Vigil:Gateway</c> (<c>vigil serve --gateway URL</c> sets <see cref="Upstream"/>):
/// where OpenAI-compatible calls are forwarded, and the provider key Vigil holds for them.
/// </summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Vigil:Gateway";

    /// <summary>
    /// The upstream's OpenAI-compatible base URL, e.g. <c>https://api.openai.com/v1</c> or <c>http://127.0.0.1:8000/v1</c>:
    /// <c>POST /v1/chat/completions</c> goes to <c>{Upstream}/chat/completions</c>. None: the gateway is off.
    /// </summary>
    public string? Upstream { get; set; }

    /// <summary>
    /// The provider key Vigil sends upstream. None (the default): the caller's own <c>Authorization</c> goes upstream
    /// untouched. Set: callers authenticate with a gateway key (<c>VIGIL_GATEWAY_KEYS</c>) and never see the provider's.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>Keys callers may use when <see cref="ApiKey"/> is set; those of <c>VIGIL_GATEWAY_KEYS</c> are added after binding.</summary>
    public IList<string> Keys { get; } = [];

    /// <summary>Other upstreams by model name: a request for one of these models goes to its base URL instead.</summary>
    public IDictionary<string, string> Routes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>How long the upstream may stay silent (no header or body byte) before the call fails as a timeout. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True when an upstream is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Upstream);

    /// <summary>The upstream base URL for <paramref name="model"/>: its route, else <see cref="Upstream"/>.</summary>
    public string UpstreamFor(string? model) =>
        (model is not null && Routes.TryGetValue(model, out var routed) ? routed : Upstream!).TrimEnd('/');
}
