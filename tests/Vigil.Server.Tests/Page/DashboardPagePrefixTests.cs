using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Page;

/// <summary>The page in an app that maps the collector under a prefix: it is served there, and its relative URLs resolve there.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class DashboardPagePrefixTests : IAsyncLifetime
{
    private readonly SqliteTestStore _store = new();
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _store.CreateAsync();
        var builder = WebApplication.CreateBuilder(["--hostBuilder:reloadConfigOnChange=false"]);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Vigil:Server:DataDirectory"] = _store.DataDirectory });
        builder.Services.AddVigilCollector(builder.Configuration);
        _app = builder.Build();
        _app.MapGet("/", () => "the app's own home page");
        _app.MapVigilCollector("/ops/vigil");
        await _app.StartAsync();
        _client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(_app.Urls.Single() + "/") };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _store.DisposeAsync();
    }

    [Fact]
    public async Task GetPage_UnderAPrefix_ServesThePageAndEveryRelativeUrlResolvesUnderThePrefix()
    {
        using var page = await _client.GetAsync(new Uri("ops/vigil/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        DashboardPageTests.AssertPageHeaders(page);
        var html = await page.Content.ReadAsStringAsync();
        var pageUrl = new Uri(_client.BaseAddress!, "ops/vigil/");

        foreach (var reference in new[] { "dashboard/dashboard.js", "dashboard/dashboard.css", "dashboard/vendor/chart.js/chart.umd.min.js", "v1/report" })
        {
            Assert.Contains($"\"{reference}\"", html, StringComparison.Ordinal);
            using var response = await _client.GetAsync(new Uri(pageUrl, reference)); // as the browser resolves it
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{reference} from {pageUrl}: {response.StatusCode}");
        }

        Assert.Equal("the app's own home page", await _client.GetStringAsync(new Uri("/", UriKind.Relative)));
        using var outside = await _client.GetAsync(new Uri("dashboard/dashboard.js", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task GetPage_PrefixWithoutTrailingSlash_RedirectsToIt()
    {
        using var response = await _client.GetAsync(new Uri("ops/vigil?x=1", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/ops/vigil/?x=1", response.Headers.Location!.OriginalString);
    }
}
