using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Vigil.ChatClients;
using Vigil.Configuration;
using Vigil.Metrics;
using Vigil.Pricing;
using Vigil.Signals;
using Vigil.Sinks;

namespace Vigil.Tests.Configuration;

public sealed class VigilServiceCollectionExtensionsTests
{
    [Fact]
    public void AddVigil_BindsOptionsAndPricesFromConfiguration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Models:0"] = "gpt-4.1-mini",
            ["Vigil:Features:0"] = "customer_service",
            ["Vigil:CaptureContent"] = "true",
            ["Vigil:MinResponseLength"] = "5",
            ["Vigil:Prices:my-model:Input"] = "0.25",
            ["Vigil:Prices:my-model:Output"] = "1.25",
            ["Vigil:RefusalPatterns:0"] = "Sorry, no",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddVigil();
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<VigilOptions>>().Value;
        var prices = provider.GetRequiredService<PriceCatalog>();

        Assert.Equal(["gpt-4.1-mini"], options.Models);
        Assert.True(options.CaptureContent);
        Assert.Equal(5, options.MinResponseLength);
        Assert.Equal(["Sorry, no"], options.EffectiveRefusalPatterns);
        Assert.Equal((0.25m + 1.25m), prices.Quote("my-model", 1_000_000, 1_000_000).Usd);
        Assert.Same(provider.GetRequiredService<VigilMonitor>(), provider.GetRequiredService<IInteractionSink>());
        Assert.Same(provider.GetRequiredService<VigilMetrics>(), provider.GetRequiredService<VigilMetrics>());
    }

    [Fact]
    public void AddVigil_InvalidOptions_FailValidationNamingTheMember()
    {
        var services = new ServiceCollection().AddVigil(o => o.MaxLabelValues = 0);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<VigilOptions>>().Value);

        Assert.Contains("MaxLabelValues", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UseVigil_FromServices_UsesRegisteredSinkAndMetrics()
    {
        var sink = new ListSink();
        var services = new ServiceCollection().AddVigil().AddSingleton<IInteractionSink>(sink);
        using var provider = services.BuildServiceProvider();
        using var client = new ChatClientBuilder(new EchoChatClient()).UseVigil().Build(provider);

        await client.GetResponseAsync("hello there, how are you?", new ChatOptions { ModelId = "gpt-4.1-nano" }.WithVigil(feature: "search", userId: "u-7"));

        var record = Assert.Single(sink.Records);
        Assert.Equal("search", record.Feature);
        Assert.Equal("u-7", record.UserId);
        Assert.Equal("gpt-4.1-nano", record.Model);
        Assert.Null(record.Query); // content capture is off by default
    }

    private sealed class ListSink : IInteractionSink
    {
        public List<Vigil.Records.InteractionRecord> Records { get; } = [];

        public bool IsEnabled => true;

        public bool Emit(Vigil.Records.InteractionRecord record)
        {
            lock (Records)
            {
                Records.Add(record);
            }

            return true;
        }
    }

    private sealed class EchoChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "An answer long enough to count.")) { ResponseId = "r-1" });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
