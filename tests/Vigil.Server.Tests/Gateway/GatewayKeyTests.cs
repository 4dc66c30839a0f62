using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;
using Vigil.Tests.Infrastructure;

namespace Vigil.Server.Tests.Gateway;

/// <summary>Who may call the gateway: beyond loopback only with gateway keys; with keys, only callers that send one.</summary>
public sealed class GatewayKeyTests
{
    [Fact]
    public void Build_GatewayBeyondLoopbackWithoutGatewayKeys_ThrowsNamingTheVariable()
    {
        var exception = Assert.Throws<VigilServerStartupException>(() => Build(new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = "http://127.0.0.1:9/v1",
        }));

        Assert.Contains("VIGIL_GATEWAY_KEYS", exception.Message, StringComparison.Ordinal);
        Assert.Contains("0.0.0.0", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_GatewayBeyondLoopbackWithGatewayKeys_Builds()
    {
        var app = Build(new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = "http://127.0.0.1:9/v1",
            ["Vigil:Gateway:Keys:0"] = "gw",
        });

        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("ftp://example.com/v1", "Vigil:Gateway:Upstream")]
    [InlineData("not a url", "Vigil:Gateway:Upstream")]
    public void Build_BadUpstream_ThrowsNamingTheSetting(string upstream, string named)
    {
        var exception = Assert.Throws<VigilServerStartupException>(() => Build(new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = upstream,
            ["Vigil:Gateway:Keys:0"] = "gw",
        }));

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ProviderKeyWithoutGatewayKeys_ThrowsNamingTheVariable()
    {
        var exception = Assert.Throws<VigilServerStartupException>(() => Build(new Dictionary<string, string?>
        {
            ["Vigil:Gateway:Upstream"] = "http://127.0.0.1:9/v1",
            ["Vigil:Gateway:ApiKey"] = "sk-provider",
        }, urls: "http://127.0.0.1:0"));

        Assert.Contains("VIGIL_GATEWAY_KEYS", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-provider", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_GatewayKeysWithCallersProviderKey_NeedsTheGatewayKeyHeader()
    {
        var upstream = new OpenAiStubServer();
        await upstream.InitializeAsync();
        try
        {
            await using var store = new SqliteTestStore();
            await store.CreateAsync();
            await using var collector = await CollectorHost.StartAsync(store, settings: new Dictionary<string, string?>
            {
                ["Vigil:Gateway:Upstream"] = upstream.BaseUrl + "/v1",
                ["Vigil:Gateway:Keys:0"] = "gw-key",
            });

            using var without = Request();
            using var refused = await collector.Client.SendAsync(without);
            using var with = Request();
            with.Headers.Add("X-Vigil-Gateway-Key", "gw-key");
            using var answered = await collector.Client.SendAsync(with);

            await CollectorApi.AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        }
        finally
        {
            await upstream.DisposeAsync();
        }
    }

    private static HttpRequestMessage Request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4.1-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", "sk-callers-own");
        return request;
    }

    private static WebApplication Build(Dictionary<string, string?> settings, string urls = "http://0.0.0.0:5080") =>
        VigilServer.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Services.PostConfigure<VigilServerOptions>(o =>
            {
                o.Urls = urls;
                o.DataDirectory = Path.Combine(Path.GetTempPath(), "vigil-never-created");
                o.IngestKeys.Add("ik");
                o.ReadKeys.Add("rk");
            });
        });
}
