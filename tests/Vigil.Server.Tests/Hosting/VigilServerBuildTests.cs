using Microsoft.Extensions.DependencyInjection;
using Vigil.Server.Hosting;

namespace Vigil.Server.Tests.Hosting;

public sealed class VigilServerBuildTests
{
    [Fact]
    public async Task Build_TheThreadPool_StartsAtLeast16ThreadsAtOnce()
    {
        // The ingest writer and the signal pipeline each hold a pool thread while they work; with one thread per core
        // the 202s of committed requests waited for the pool to add a thread.
        await using var app = VigilServer.Build([], builder => builder.Services.PostConfigure<VigilServerOptions>(options => options.Urls = "http://127.0.0.1:0"));

        ThreadPool.GetMinThreads(out var workers, out _);
        Assert.True(workers >= 16, $"{workers} threads");
    }
}
