using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vigil.Sinks;

namespace Vigil.Tests.Sinks;

public sealed class CollectorSinkLifetimeTests
{
    [Fact]
    public async Task HostStop_RecordsBuffered_AreSentBeforeTheHostEnds()
    {
        var stub = new CollectorStub();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Vigil:Collector:Endpoint"] = CollectorSinkHarness.Endpoint,
            ["Vigil:Collector:FlushInterval"] = "00:10:00", // only the stop sends them
        });
        builder.Services.AddVigilCollectorSink();
        builder.Services.AddHttpClient(CollectorSink.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => stub);
        using var host = builder.Build();
        await host.StartAsync();
        var sink = host.Services.GetRequiredService<CollectorSink>();

        sink.Emit(CollectorSinkHarness.Interaction("a"));
        sink.Emit(CollectorSinkHarness.Interaction("b"));
        await host.StopAsync();

        Assert.Equal(["a", "b"], stub.Delivered);
        Assert.Equal(0, sink.Dropped);
    }

    [Fact]
    public async Task HostStart_InvalidEndpoint_FailsValidationOnStart()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Vigil:Collector:Endpoint"] = "ftp://collector.test" });
        builder.Services.AddVigilCollectorSink();
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.Contains("Vigil:Collector:Endpoint", error.Message, StringComparison.Ordinal);
    }
}
