using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Vigil.Configuration;
using Vigil.Evaluation.Judge;
using Vigil.Evaluation.Online;
using Vigil.Metrics;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;

namespace Vigil.Server.Evaluation;

/// <summary>Registers the collector's online judge (<see cref="OnlineEvaluationService"/>) when an endpoint is configured.</summary>
internal static class OnlineJudgeServiceCollectionExtensions
{
    /// <summary>The setting that turns the online judge on.</summary>
    public const string EndpointKey = $"{VigilServerOptions.SectionName}:{nameof(VigilServerOptions.JudgeEndpoint)}";

    /// <summary>
    /// With <c>Vigil:Server:JudgeEndpoint</c> set in <paramref name="configuration"/>: the judge's options
    /// (<c>Vigil:Judge</c>, its model from <c>Vigil:Server:JudgeModel</c> when given there; <c>Vigil:OnlineEvaluation</c>),
    /// the evaluator over a judge of that endpoint, and the service that offers it every stored interaction.
    /// </summary>
    public static IServiceCollection AddOnlineJudge(this IServiceCollection services, IConfiguration configuration)
    {
        if (!CollectorSwitches.IsSet(configuration, EndpointKey))
        {
            return services;
        }

        services.AddVigilOptions<LlmJudgeOptions>(LlmJudgeOptions.SectionName)
            .PostConfigure<IOptions<VigilServerOptions>>((judge, server) => judge.JudgeModel = server.Value.JudgeModel ?? judge.JudgeModel);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmJudgeOptions>, OnlineJudgeModelValidator>());
        services.AddVigilOptions<OnlineEvaluationOptions>(OnlineEvaluationOptions.SectionName);
        services.TryAddSingleton(CreateEvaluator);
        services.TryAddSingleton<OnlineEvaluationService>();
        services.AddHostedService(sp => sp.GetRequiredService<OnlineEvaluationService>());
        return services;
    }

    private static OnlineEvaluator CreateEvaluator(IServiceProvider services)
    {
        var server = services.GetOptions<VigilServerOptions>();
        var judgeOptions = services.GetOptions<LlmJudgeOptions>();
        var metrics = services.GetRequiredService<VigilMetrics>();
        var chatClient = JudgeEndpoint.CreateChatClient(new Uri(server.JudgeEndpoint!), judgeOptions.JudgeModel, Environment.GetEnvironmentVariable(server.JudgeApiKeyVariable));
        var judge = new LlmJudge(chatClient, judgeOptions, new JudgeMetrics(services.GetRequiredService<MetricCatalogWriter>()), services.GetRequiredService<TimeProvider>());
        return new OnlineEvaluator(judge, services.GetOptions<OnlineEvaluationOptions>(), OnlineEvaluationService.StoreThrough(services.GetRequiredService<IngestWriter>()),
            metrics, services.GetRequiredService<ILogger<OnlineEvaluator>>());
    }
}
