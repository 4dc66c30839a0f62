using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Page;

/// <summary>
/// <c>GET /</c> and <c>GET /dashboard/{path}</c> through a real collector: the page and its files, their types, their
/// caching and the headers that keep every request on the collector.
/// </summary>
public sealed partial class DashboardPageTests : CollectorTestBase<SqliteTestStore>
{
    [Fact]
    public async Task GetPage_NoKeys_ServesTheHtmlWithItsSecurityAndCachingHeaders()
    {
        using var response = await Client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        AssertPageHeaders(response);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("data-figure=\"success_rate\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPage_ItsReferences_AreRelativeAndEachIsServedWithItsType()
    {
        var html = await Client.GetStringAsync(new Uri("/", UriKind.Relative));
        var references = Reference().Matches(html).Select(m => m.Groups["url"].Value).Distinct(StringComparer.Ordinal).ToList();
        Assert.Contains("dashboard/dashboard.js", references);
        Assert.Contains("dashboard/dashboard.css", references);
        Assert.Contains("dashboard/vendor/chart.js/chart.umd.min.js", references);

        var expectedTypes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [".js"] = "text/javascript", [".css"] = "text/css", [".svg"] = "image/svg+xml", [".md"] = "text/plain",
        };
        foreach (var reference in references)
        {
            // Relative: resolves under whatever prefix the page is served at, and never to another host.
            Assert.DoesNotMatch("^([a-z]+:|/)", reference);
            if (!reference.StartsWith("dashboard/", StringComparison.Ordinal))
            {
                Assert.StartsWith("v1/", reference, StringComparison.Ordinal);
                continue;
            }

            using var response = await Client.GetAsync(new Uri(reference, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{reference}: {response.StatusCode}");
            Assert.Equal(expectedTypes[Path.GetExtension(reference)], response.Content.Headers.ContentType!.MediaType);
            AssertPageHeaders(response);
        }
    }

    [Fact]
    public async Task GetPage_NoInlineScriptOrStyle_SoTheContentSecurityPolicyHolds()
    {
        var html = await Client.GetStringAsync(new Uri("/", UriKind.Relative));

        Assert.DoesNotMatch(@"<script(?![^>]*\ssrc=)[^>]*>", html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\sstyle\s*=", html);
        Assert.DoesNotMatch(@"\son[a-z]+\s*=", html);
    }

    [Fact]
    public async Task GetAsset_IfNoneMatchItsETag_Answers304()
    {
        using var first = await Client.GetAsync(new Uri("dashboard/dashboard.js", UriKind.Relative));
        var tag = first.Headers.ETag;
        Assert.NotNull(tag);
        Assert.False(tag.IsWeak);

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("dashboard/dashboard.js", UriKind.Relative));
        request.Headers.IfNoneMatch.Add(tag);
        using var second = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Equal(tag, second.Headers.ETag);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());

        using var other = new HttpRequestMessage(HttpMethod.Get, new Uri("dashboard/dashboard.js", UriKind.Relative));
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var third = await Client.SendAsync(other);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task GetAsset_VendoredChartJs_IsTheRecordedVersionWithItsLicence()
    {
        var version = await File.ReadAllLinesAsync(Path.Combine(VendorDirectory(), "VERSION"));
        var sha256 = version.Single(line => line.StartsWith("sha256 ", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        var script = await Client.GetByteArrayAsync(new Uri("dashboard/vendor/chart.js/chart.umd.min.js", UriKind.Relative));
        var licence = await Client.GetStringAsync(new Uri("dashboard/vendor/chart.js/LICENSE.md", UriKind.Relative));

        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(script)));
        Assert.Contains("Chart.js v4.6.1", Encoding.UTF8.GetString(script, 0, 200), StringComparison.Ordinal);
        Assert.Contains("The MIT License", licence, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dashboard/nope.js")]
    [InlineData("dashboard/index.html")]
    [InlineData("dashboard/vendor/chart.js/VERSION")]
    [InlineData("dashboard/")]
    public async Task GetAsset_NotAFileOfThePage_Answers404Problem(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task GetReport_Budget_CarriesTheHourlyBudgetThePageDraws()
    {
        var report = await Client.GetReportAsync();

        var budget = report["cost"]!["budget"]!;
        var now = DateTime.UtcNow;
        var hours = DateTime.DaysInMonth(now.Year, now.Month) * 24;
        Assert.Equal(Math.Round(budget["monthly_budget_usd"]!.GetValue<decimal>() / hours, 10), budget["hourly_budget_usd"]!.GetValue<decimal>());
    }

    internal static void AssertPageHeaders(HttpResponseMessage response)
    {
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.StartsWith("default-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl!.NoCache);
        Assert.True(response.Headers.CacheControl.Private);
    }

    private static string VendorDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Vigil.slnx")))
            {
                return Path.Combine(dir.FullName, "src", "Vigil.Server", "Dashboard", "Assets", "vendor", "chart.js");
            }
        }

        throw new InvalidOperationException($"No Vigil.slnx above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("""(?:src|href)="(?<url>[^"]+)"\s*""")]
    private static partial Regex Reference();
}
