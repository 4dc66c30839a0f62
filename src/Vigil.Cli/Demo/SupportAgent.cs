using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenAI;
using Vigil.ChatClients;
using Vigil.Classification;
using Vigil.Feedback;
using Vigil.Incidents;

namespace Vigil.Cli.Demo;

/// <summary>
/// The seed's customer-service agent, simulated: for each customer it embeds the question (retrieval), picks the
/// help-center article, and asks the model through the official OpenAI .NET SDK with <c>UseVigil()</c> and
/// <c>UseDegradation()</c>, as an app would; its records and feedback go to the collector (<c>AddVigil()</c> with
/// <c>Vigil:Collector:Endpoint</c>), and it takes its degradation mode from the collector's responder. Customers answer
/// with 👍/👎, ratings, CSAT and NPS that follow what they got.
/// </summary>
internal sealed class SupportAgent : IAsyncDisposable
{
    /// <summary>The feature label of every call (the seed's endpoint).</summary>
    public const string Feature = "customer_service";

    private static readonly ErrorClassifier Classifier = new();

    private static readonly IReadOnlyDictionary<string, string> Simulated = new Dictionary<string, string> { ["simulated"] = "true" };

    private readonly IHost _host;
    private readonly IChatClient _chat;
    private readonly IEmbeddingGenerator<string, Embedding<float>> _embedder;
    private readonly VigilFeedback _feedback;
    private readonly int _seed;
    private readonly float[][] _articles;
    private readonly SupportTopic[] _topics;

    private SupportAgent(IHost host, IChatClient chat, IEmbeddingGenerator<string, Embedding<float>> embedder, int seed)
    {
        _host = host;
        _chat = chat;
        _embedder = embedder;
        _seed = seed;
        _feedback = host.Services.GetRequiredService<VigilFeedback>();
        _topics = [.. SupportQuestions.Topics];
        _articles = [.. _topics.Select(t => SimulatedProvider.Embed(t.Article + " " + t.EnglishFrequent + " " + t.ChineseFrequent))];
    }

    /// <summary>Starts the agent's host: records go to <paramref name="collector"/> (with <paramref name="ingestKey"/>, if any), calls to <paramref name="provider"/>.</summary>
    public static async Task<SupportAgent> StartAsync(Uri provider, Uri collector, int seed, string? ingestKey, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Collector:Endpoint"] = collector.ToString(),
            ["Vigil:Collector:ApiKey"] = ingestKey,
            ["Vigil:CaptureContent"] = "true", // simulated questions and answers: the judge reads them
            ["Vigil:Provider"] = "simulated", // every record says where its answers came from
            ["Vigil:Degradation:Source"] = nameof(DegradationSource.Collector),
            ["Vigil:Degradation:PollInterval"] = "00:00:01",
            ["Vigil:Alerting:Engine:Enabled"] = "false", // the collector's engine judges the alerts
        });
        builder.Logging.ClearProviders();
        builder.Services.AddVigil();
        builder.Services.AddVigilIncidents();
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);

        var options = new OpenAIClientOptions
        {
            Endpoint = provider,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // every failure counts, as the seed's agent sees it
            NetworkTimeout = TimeSpan.FromSeconds(60),
            UserAgentApplicationId = "vigil-demo-agent",
        };
        options.AddPolicy(new DemoCallHeaders(), PipelinePosition.PerCall);
        var openAi = new OpenAIClient(new ApiKeyCredential("sk-simulated-demo-key"), options);
        var time = host.Services.GetRequiredService<TimeProvider>();
        var chat = openAi.GetChatClient(DemoTimeline.PrimaryModel).AsIChatClient()
            .AsBuilder()
            .UseVigil()
            .Use(inner => new FaqCache(inner, time))
            .UseDegradation(fallbackClient: openAi.GetChatClient(DemoTimeline.FallbackModel).AsIChatClient())
            .Build(host.Services);
        var embedder = openAi.GetEmbeddingClient("text-embedding-3-small").AsIEmbeddingGenerator();
        return new SupportAgent(host, chat, embedder, seed);
    }

    /// <summary>Serves customer <paramref name="call"/> at <paramref name="progress"/> of the run, and sends their feedback.</summary>
    public async Task<AgentTurn> ServeAsync(long call, double progress, CancellationToken cancellationToken)
    {
        var dice = new DemoRandom(_seed, call, stream: 1);
        var question = SupportQuestions.Pick(ref dice, progress);
        var user = "customer-" + dice.Next(2000).ToString("D4", CultureInfo.InvariantCulture);
        var tier = dice.NextDouble() switch { < 0.6 => "free", < 0.9 => "pro", _ => "enterprise" };
        var traceId = $"demo-{_seed}-{call}";
        DemoCallHeaders.Current.Value = new DemoCallNumber(call, progress);

        var embedding = (await _embedder.GenerateAsync([question.Text], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector;
        var article = Retrieve(embedding.Span);
        var options = new ChatOptions()
            .WithVigil(feature: Feature, userTier: tier, userId: user, traceId: traceId, context: article.Article)
            .WithVigilRecord(embedding, new Dictionary<string, string>(Simulated) { ["topic"] = question.Topic.Name, ["language"] = question.Language });
        options.AdditionalProperties![DegradationOptions.LanguageKey] = question.Language;
        List<ChatMessage> messages =
        [
            new(ChatRole.System, $"你是客服助手。参考资料:{article.Article}"), // the seed's system prompt
            new(ChatRole.User, question.Text),
        ];

        AgentTurn turn;
        try
        {
            var text = new System.Text.StringBuilder();
            string? degradation = null;
            await foreach (var update in _chat.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                text.Append(update.Text);
                if (update.AdditionalProperties?.TryGetValue(VigilChatOptions.DegradationKey, out var mode) == true)
                {
                    degradation = mode?.ToString();
                }
            }

            turn = new AgentTurn(traceId, AgentOutcome.Answered, text.ToString(), degradation);
        }
        catch (ClientResultException)
        {
            turn = new AgentTurn(traceId, AgentOutcome.Failed, "", null);
        }
        catch (ChatDisabledException)
        {
            turn = new AgentTurn(traceId, AgentOutcome.Failed, "", "default_response");
        }

        SendFeedback(ref dice, turn, user);
        return turn;
    }

    public async ValueTask DisposeAsync()
    {
        // Stopping the host flushes the records and feedback still queued for the collector.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(stop.Token).ConfigureAwait(false);
        _chat.Dispose();
        _embedder.Dispose();
        _host.Dispose();
    }

    private SupportTopic Retrieve(ReadOnlySpan<float> query)
    {
        var best = 0;
        var bestScore = float.MinValue;
        for (var i = 0; i < _articles.Length; i++)
        {
            var score = 0f;
            for (var d = 0; d < query.Length && d < _articles[i].Length; d++)
            {
                score += query[d] * _articles[i][d];
            }

            if (score > bestScore)
            {
                (best, bestScore) = (i, score);
            }
        }

        return _topics[best];
    }

    // Customers react to what they got: a good answer mostly 👍 and 4-5 stars; an error, a refusal, an empty answer or a
    // made-up policy mostly 👎 and 1-2 stars. A few answer a CSAT or NPS survey.
    private void SendFeedback(ref DemoRandom dice, AgentTurn turn, string user)
    {
        // The soft errors are Vigil's own classification (empty, too short, a refusal); the made-up policy a customer spots.
        var bad = turn.Outcome == AgentOutcome.Failed
                  || Classifier.ClassifyResponse(turn.Text, ChatFinishReason.Stop, jsonRequested: false, hasToolCalls: false, toolFailed: false) is not null
                  || turn.Text.Contains(SimulatedProvider.HallucinationMarker, StringComparison.Ordinal);
        var happy = bad ? 0.15 : turn.Degradation is null ? 0.9 : 0.75;
        if (dice.Chance(0.3))
        {
            _ = dice.Chance(happy) ? _feedback.ThumbsUp(turn.TraceId, Feature, user) : _feedback.ThumbsDown(turn.TraceId, Feature, user);
        }

        if (dice.Chance(0.1))
        {
            var stars = dice.Chance(happy) ? 4 + dice.Next(2) : 1 + dice.Next(3);
            _feedback.Rating(turn.TraceId, stars, Feature, user);
        }

        if (dice.Chance(0.05))
        {
            var csat = dice.Chance(happy) ? 4 + dice.Next(2) : 1 + dice.Next(3);
            _feedback.Csat(csat, turn.TraceId, Feature, user);
        }

        if (dice.Chance(0.03))
        {
            var nps = dice.Chance(happy * 0.7) ? 9 + dice.Next(2) : dice.Chance(0.5) ? 7 + dice.Next(2) : dice.Next(7);
            _feedback.Nps(nps, turn.TraceId, Feature, user);
        }
    }
}

/// <summary>How a customer's call went.</summary>
internal enum AgentOutcome
{
    /// <summary>An answer came (possibly degraded, a refusal or empty).</summary>
    Answered,

    /// <summary>The call failed (the provider's error reached the agent).</summary>
    Failed,
}

/// <summary>One customer's call: its trace id, outcome, the answer's text and its degradation (null: none).</summary>
internal sealed record AgentTurn(string TraceId, AgentOutcome Outcome, string Text, string? Degradation);
