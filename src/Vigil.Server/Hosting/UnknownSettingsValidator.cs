using Microsoft.Extensions.Options;

namespace Vigil.Server.Hosting;

/// <summary>
/// Refuses a setting in <typeparamref name="TOptions"/>' section that names no property: a misspelt setting (Enable for
/// Enabled) would otherwise be ignored without a word.
/// </summary>
internal sealed class UnknownSettingsValidator<TOptions>(IConfiguration configuration, string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var known = typeof(TOptions).GetProperties().Where(p => p.CanWrite).Select(p => p.Name).ToList();
        var unknown = configuration.GetSection(section).GetChildren().Select(c => c.Key)
            .Where(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase)).ToList();
        return unknown.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{section}: unknown setting(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))}; the settings are {string.Join(", ", known)}.");
    }
}
