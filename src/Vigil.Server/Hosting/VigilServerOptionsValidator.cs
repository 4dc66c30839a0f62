using Microsoft.Extensions.Options;
using Vigil.Evaluation.Judge;

namespace Vigil.Server.Hosting;

/// <summary>What <see cref="VigilServerOptions"/>' annotations cannot say: the online judge's endpoint is a usable URL.</summary>
internal sealed class VigilServerOptionsValidator : IValidateOptions<VigilServerOptions>
{
    public ValidateOptionsResult Validate(string? name, VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.JudgeEndpoint))
        {
            return ValidateOptionsResult.Success;
        }

        if (!Uri.TryCreate(options.JudgeEndpoint, UriKind.Absolute, out var endpoint))
        {
            return ValidateOptionsResult.Fail($"The judge endpoint '{options.JudgeEndpoint}' is not an absolute URL, e.g. http://127.0.0.1:8000/v1.");
        }

        try
        {
            JudgeEndpoint.ValidateBaseUrl(endpoint);
        }
        catch (ArgumentException ex)
        {
            return ValidateOptionsResult.Fail($"The online judge is misconfigured: {ex.Message}");
        }

        return ValidateOptionsResult.Success;
    }
}
