using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Security;

/// <summary>The collector refuses to listen beyond loopback without API keys (nothing is opened: no store is needed).</summary>
public sealed class ExposedAddressTests
{
    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://*:5080")]
    [InlineData("http://+:5080")]
    [InlineData("http://[::]:5080")]
    [InlineData("http://127.0.0.1:5080;http://0.0.0.0:5081")]
    public void Build_NonLoopbackWithoutKeys_ThrowsStartupExceptionSayingToSetKeys(string urls)
    {
        var exception = Assert.Throws<VigilServerStartupException>(() => Build(o =>
        {
            o.Urls = urls;
            o.IngestKeys.Clear();
            o.ReadKeys.Clear();
        }));

        Assert.Contains("VIGIL_INGEST_KEYS", exception.Message, StringComparison.Ordinal);
        Assert.Contains("VIGIL_READ_KEYS", exception.Message, StringComparison.Ordinal);
        Assert.Contains("keys", exception.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(urls.Split(';')[^1], exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080")]
    [InlineData("http://[::]:5080")]
    public async Task Build_NonLoopbackWithKeys_Builds(string urls)
    {
        var app = Build(o =>
        {
            o.Urls = urls;
            o.IngestKeys.Add("ik");
            o.ReadKeys.Add("rk");
        });

        await app.DisposeAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://localhost:5080")]
    [InlineData("http://[::1]:5080")]
    public async Task Build_LoopbackWithoutKeys_Builds(string urls)
    {
        var app = Build(o => o.Urls = urls);

        await app.DisposeAsync();
    }

    private static WebApplication Build(Action<VigilServerOptions> configure) =>
        VigilServer.Build([], builder => builder.Services.PostConfigure<VigilServerOptions>(o =>
        {
            o.DataDirectory = Path.Combine(Path.GetTempPath(), "vigil-never-created");
            configure(o);
        }));
}
