using Microsoft.Extensions.Options;

namespace Vigil.Server.Gateway;

/// <summary>Checks the gateway's upstreams are absolute http(s) URLs and that a held provider key has gateway keys beside it.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    /// <summary>The environment variable of the gateway's keys, comma-separated.</summary>
    public const string KeysVariable = "VIGIL_GATEWAY_KEYS";

    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!IsBaseUrl(options.Upstream))
        {
            failures.Add($"{GatewayOptions.SectionName}:Upstream must be an absolute http or https URL, e.g. https://api.openai.com/v1; got '{options.Upstream}'.");
        }

        foreach (var (model, url) in options.Routes)
        {
            if (!IsBaseUrl(url))
            {
                failures.Add($"{GatewayOptions.SectionName}:Routes:{model} must be an absolute http or https URL; got '{url}'.");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.ApiKey) && !options.Keys.Any(k => !string.IsNullOrWhiteSpace(k)))
        {
            failures.Add($"{GatewayOptions.SectionName}:ApiKey is set, so callers must authenticate with a gateway key: set {KeysVariable} (comma-separated) or {GatewayOptions.SectionName}:Keys.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Adds the keys of <see cref="KeysVariable"/> to those bound (a <c>PostConfigure</c> action).</summary>
    public static void AddKeysFromEnvironment(GatewayOptions options)
    {
        foreach (var key in (Environment.GetEnvironmentVariable(KeysVariable) ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            options.Keys.Add(key);
        }
    }

    private static bool IsBaseUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && string.IsNullOrEmpty(uri.Query);
}
