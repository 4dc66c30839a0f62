using Microsoft.Extensions.Options;
using Vigil.Evaluation.Judge;

namespace Vigil.Server.Evaluation;

/// <summary>The online judge needs a model: says where to give it, in the words of <c>vigil serve</c>.</summary>
internal sealed class OnlineJudgeModelValidator : IValidateOptions<LlmJudgeOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmJudgeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.JudgeModel)
            ? ValidateOptionsResult.Fail("The online judge needs a model: give --judge-model, Vigil:Server:JudgeModel or Vigil:Judge:JudgeModel.")
            : ValidateOptionsResult.Success;
    }
}
