using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Incidents;
using Vigil.Sinks;

namespace Vigil.Tests.Incidents;

public sealed class CollectorDegradationModeSourceTests : IAsyncLifetime
{
    private WebApplication? _collector;
    private string _mode = "fallback_model";
    private int _status = StatusCodes.Status200OK;
    private string? _authorization;

    private string Endpoint { get; set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _collector = builder.Build();
        _collector.MapGet("/v1/incident", (HttpContext context) =>
        {
            _authorization = context.Request.Headers.Authorization.ToString();
            return _status == StatusCodes.Status200OK
                ? Results.Text(new JsonObject { ["mode"] = _mode, ["since"] = null, ["reason"] = null, ["manual"] = false }.ToJsonString(), "application/json")
                : Results.StatusCode(_status);
        });
        await _collector.StartAsync();
        Endpoint = _collector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
    }

    public async Task DisposeAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }
    }

    private CollectorDegradationModeSource Source(string? endpoint = null) =>
        new(new CollectorOptions { Endpoint = endpoint ?? Endpoint, ApiKey = "secret-key" },
            new DegradationOptions { Source = DegradationSource.Collector },
            new ServiceCollection().AddHttpClient().BuildServiceProvider().GetRequiredService<IHttpClientFactory>());

    [Fact]
    public async Task PollOnceAsync_CollectorAnswers_TakesItsModeWithTheKey()
    {
        var source = Source();

        Assert.True(await source.PollOnceAsync());

        Assert.Equal(DegradationMode.FallbackModel, source.Mode);
        Assert.Equal("Bearer secret-key", _authorization);
    }

    [Theory]
    [InlineData(StatusCodes.Status500InternalServerError, "static_response")]
    [InlineData(StatusCodes.Status401Unauthorized, "static_response")]
    [InlineData(StatusCodes.Status200OK, "panic")]
    public async Task PollOnceAsync_CollectorFailsOrAnswersNonsense_KeepsTheLastKnownMode(int status, string mode)
    {
        var source = Source();
        await source.PollOnceAsync();
        _status = status;
        _mode = mode;

        Assert.False(await source.PollOnceAsync());

        Assert.Equal(DegradationMode.FallbackModel, source.Mode);
    }

    [Fact]
    public async Task PollOnceAsync_CollectorGone_KeepsTheLastKnownMode()
    {
        var source = Source();
        await source.PollOnceAsync();
        await _collector!.StopAsync();

        Assert.False(await source.PollOnceAsync());

        Assert.Equal(DegradationMode.FallbackModel, source.Mode);
    }

    [Fact]
    public void AddVigilIncidents_SourceCollector_ModeComesFromTheCollector()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Vigil:Degradation:Source"] = "collector",
                ["Vigil:Collector:Endpoint"] = Endpoint,
            }).Build())
            .AddVigil()
            .AddVigilIncidents()
            .BuildServiceProvider();

        Assert.IsType<CollectorDegradationModeSource>(provider.GetRequiredService<IDegradationModeSource>());
    }

    [Fact]
    public void AddVigilIncidents_Default_ModeComesFromTheLocalResponder()
    {
        using var provider = new ServiceCollection().AddVigil().AddVigilIncidents().BuildServiceProvider();

        Assert.Same(provider.GetRequiredService<IncidentResponder>(), provider.GetRequiredService<IDegradationModeSource>());
    }
}
