using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Page;

/// <summary>
/// With read keys set, the page and its files ask for a key as the API does, and a browser's Basic credentials (any user,
/// the key as the password) open them, and the API the page reads.
/// </summary>
public sealed class DashboardPageKeyTests : CollectorTestBase<SqliteTestStore>
{
    private const string ReadKey = "read-key-for-the-page";
    private const string IngestKey = "ingest-key-for-the-page";

    [Theory]
    [InlineData("")]
    [InlineData("dashboard/dashboard.js")]
    [InlineData("dashboard/vendor/chart.js/chart.umd.min.js")]
    [InlineData("v1/report")]
    public async Task Get_NoKey_Answers401WithABasicChallenge(string path)
    {
        using var response = await Client.GetAsync(new Uri("/" + path, UriKind.Relative));

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, challenge => challenge.Scheme == "Basic" && challenge.Parameter == "realm=\"Vigil\"");
        Assert.DoesNotContain("data-figure", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "Basic", "anyone")]
    [InlineData("", "Basic", "")]
    [InlineData("", "Bearer", null)]
    [InlineData("dashboard/dashboard.css", "Basic", "vigil")]
    [InlineData("dashboard/dashboard.css", "Bearer", null)]
    [InlineData("v1/report", "Basic", "browser-user")]
    [InlineData("v1/alerts", "Basic", "browser-user")]
    [InlineData("v1/incidents", "Basic", "browser-user")]
    public async Task Get_ReadKey_IsLetIn(string path, string scheme, string? user)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/" + path, UriKind.Relative));
        request.Headers.Authorization = scheme == "Basic" ? Basic($"{user}:{ReadKey}") : new AuthenticationHeaderValue("Bearer", ReadKey);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("", "user:wrong-key", HttpStatusCode.Unauthorized)]
    [InlineData("", "user:" + IngestKey, HttpStatusCode.Forbidden)]
    [InlineData("v1/report", "user:" + IngestKey, HttpStatusCode.Forbidden)]
    [InlineData("", ReadKey, HttpStatusCode.Unauthorized)]                  // no colon: no password
    [InlineData("", ReadKey + ":user", HttpStatusCode.Unauthorized)]        // the key is the password, not the user
    [InlineData("dashboard/dashboard.js", "user:", HttpStatusCode.Unauthorized)]
    public async Task Get_WrongBasicCredentials_AreRefusedAsTheApiRefusesKeys(string path, string credentials, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/" + path, UriKind.Relative));
        request.Headers.Authorization = Basic(credentials);

        using var response = await Client.SendAsync(request);

        await CollectorApi.AssertProblemAsync(response, expected);
    }

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("////")]     // base64 of bytes that are not UTF-8
    [InlineData("")]
    public async Task Get_UndecodableBasicCredentials_Answers401(string parameter)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", ("Basic " + parameter).Trim());

        using var response = await Client.SendAsync(request);

        await CollectorApi.AssertProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Get_BasicCredentials_NeverReachTheLogs()
    {
        // A collector logging everything, down to Trace, to a sink of the test's own, on the store of the one it replaces.
        await StopCollectorAsync();
        var logs = new ConcurrentQueue<string>();
        await using var collector = await CollectorHost.StartAsync(Store, Configure, configureBuilder: builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Logging.AddProvider(new QueueLoggerProvider(logs));
        });

        foreach (var (path, credentials) in new[] { ("v1/report", "user:" + ReadKey), ("", "user:" + ReadKey + "-wrong"), ("", ReadKey) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/" + path, UriKind.Relative));
            request.Headers.Authorization = Basic(credentials);
            using var response = await collector.Client.SendAsync(request);
        }

        Assert.NotEmpty(logs); // the sink was listening
        Assert.DoesNotContain(logs, entry => entry.Contains(ReadKey, StringComparison.Ordinal)
            || entry.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + ReadKey)), StringComparison.Ordinal));
    }

    protected override void Configure(VigilServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ReadKeys.Add(ReadKey);
        options.IngestKeys.Add(IngestKey);
    }

    private static AuthenticationHeaderValue Basic(string credentials) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));

    private sealed class QueueLoggerProvider(ConcurrentQueue<string> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new QueueLogger(entries, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class QueueLogger(ConcurrentQueue<string> entries, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
