using System.Diagnostics;
using System.Text.Json.Nodes;
using Vigil.Cli.Tests.Commands;
using Vigil.Server.Hosting;
using Vigil.Server.Tests.Infrastructure;

namespace Vigil.Server.Tests.Drift;

/// <summary>
/// The collector's live embedding drift watch over real HTTP on SQLite: embeddings posted with the records, a short
/// interval, and what <c>/metrics</c> and <c>/v1/report</c> say before the sets are full, without a shift, with one,
/// after a restart, against a pinned reference, and from query text through the local model.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "xunit disposes the fields through IAsyncLifetime.DisposeAsync.")]
public sealed class EmbeddingDriftWatchTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["cosine", "euclidean", "mmd", "ks"];
    private readonly SqliteTestStore _store = new();

    public Task InitializeAsync() => _store.CreateAsync();

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task PostedEmbeddings_SameTopicThenShiftedTopic_OnlyTheShiftIsFlagged()
    {
        var stream = new EmbeddingStream(seed: 7);
        await using var host = await StartAsync(Settings());

        await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(100, stream.Base)));
        await host.Client.PostInteractionsAsync([stream.Interaction(new float[8])]);
        await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(100, stream.Base)));
        var drift = await WaitForRoundAsync(host.Client, seen: 200);

        var summary = drift["embedding"]!;
        Assert.False(summary["is_drifting"]!.GetValue<bool>(), drift.ToJsonString());
        Assert.Equal("normal", summary["severity"]!.GetValue<string>());
        Assert.Equal("embedding", summary["drift_type"]!.GetValue<string>());
        Assert.Equal("records", summary["source"]!.GetValue<string>());
        Assert.Equal(1, summary["dropped"]!["dimension"]!.GetValue<long>());
        Assert.True(summary["drift_score"]!.GetValue<double>() < 1, drift.ToJsonString());
        foreach (var method in Methods)
        {
            var entry = drift["embedding_" + method]!;
            Assert.True(entry["ready"]!.GetValue<bool>());
            Assert.False(entry["is_drifting"]!.GetValue<bool>(), $"{method} flagged two samples of one topic: {entry.ToJsonString()}");
            Assert.Equal("normal", entry["severity"]!.GetValue<string>());
            Assert.Equal(100, entry["reference_count"]!.GetValue<int>());
            Assert.Equal(100, entry["current_count"]!.GetValue<int>());
        }

        var samples = PrometheusSample.ParseAll(await host.Client.GetStringAsync("metrics"));
        AssertGaugesMatchReport(samples, drift);
        Assert.True(Gauge(samples, "embedding_drift_distance", ("metric", "cosine")) < 0.05);

        await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(100, stream.Shifted)));
        drift = await WaitForRoundAsync(host.Client, seen: 300);

        summary = drift["embedding"]!;
        Assert.True(summary["is_drifting"]!.GetValue<bool>(), drift.ToJsonString());
        Assert.Equal("critical", summary["severity"]!.GetValue<string>());
        Assert.True(summary["drift_score"]!.GetValue<double>() >= 2, drift.ToJsonString());
        foreach (var method in Methods)
        {
            var entry = drift["embedding_" + method]!;
            Assert.True(entry["is_drifting"]!.GetValue<bool>(), $"{method} missed the shift: {entry.ToJsonString()}");
            Assert.Equal("critical", entry["severity"]!.GetValue<string>());
            Assert.True(entry["drift_score"]!.GetValue<double>() >= 2);
        }

        // The contract's fields of `vigil drift --format json`, method by method.
        Assert.True(drift["embedding_cosine"]!["distance"]!.GetValue<double>() > 0.1);
        Assert.True(drift["embedding_mmd"]!["p_value"]!.GetValue<double>() < 0.05);
        Assert.NotNull(drift["embedding_mmd"]!["mmd2"]);
        Assert.NotNull(drift["embedding_mmd"]!["bandwidth"]);
        Assert.Equal(16, drift["embedding_ks"]!["p_values"]!.AsArray().Count);
        Assert.Equal(16, drift["embedding_ks"]!["total_dimensions"]!.GetValue<int>());
        Assert.True(drift["embedding_ks"]!["drifting_dimensions"]!.GetValue<int>() > 8);
        Assert.True(drift["embedding_ks"]!["min_p_value"]!.GetValue<double>() < 0.005);

        samples = PrometheusSample.ParseAll(await host.Client.GetStringAsync("metrics"));
        AssertGaugesMatchReport(samples, drift);
        Assert.True(Gauge(samples, "embedding_drift_distance", ("metric", "cosine")) > 0.05);
    }

    [Fact]
    public async Task BeforeTheSetsAreFull_EntriesAreNotReadyAndNoGaugeIsSet()
    {
        var stream = new EmbeddingStream(seed: 3);
        await using var host = await StartAsync(Settings());

        await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(150, stream.Base)));
        var report = await host.Client.GetReportAsync();
        await Task.Delay(600); // three intervals: a round would have run had the sets been full

        var drift = (await host.Client.GetReportAsync())["drift"]!.AsObject();
        Assert.Equal(150, drift["embedding"]!["vectors_seen"]!.GetValue<long>());
        Assert.False(drift["embedding"]!["ready"]!.GetValue<bool>());
        Assert.Equal(100, drift["embedding"]!["reference_count"]!.GetValue<int>());
        Assert.Equal(50, drift["embedding"]!["current_count"]!.GetValue<int>());
        foreach (var method in Methods)
        {
            var entry = drift["embedding_" + method]!;
            Assert.False(entry["ready"]!.GetValue<bool>());
            Assert.False(entry["is_drifting"]!.GetValue<bool>());
            Assert.Equal(50, entry["current_count"]!.GetValue<int>());
        }

        var samples = PrometheusSample.ParseAll(await host.Client.GetStringAsync("metrics"));
        Assert.DoesNotContain(samples, s => s.Name == "embedding_drift_distance");
        Assert.DoesNotContain(samples, s => s.Name == "llm_drift_score" && s.Has(("drift_type", "embedding")));
        Assert.NotNull(report["drift"]!["embedding"]);
    }

    [Fact]
    public async Task Restart_TheSetsAreRebuiltFromTheStore_SameResultWithoutNewRecords()
    {
        var stream = new EmbeddingStream(seed: 11);
        JsonObject before;
        await using (var host = await StartAsync(Settings()))
        {
            await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(100, stream.Base)));
            await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(100, stream.Shifted)));
            before = await WaitForRoundAsync(host.Client, seen: 200);
        }

        await using var restarted = await StartAsync(Settings());
        var after = await WaitForRoundAsync(restarted.Client, seen: 200);

        Assert.True(after["embedding"]!["is_drifting"]!.GetValue<bool>());
        foreach (var method in Methods)
        {
            var a = before["embedding_" + method]!.AsObject();
            var b = after["embedding_" + method]!.AsObject();
            a.Remove("evaluated_at");
            b.Remove("evaluated_at");
            Assert.True(JsonNode.DeepEquals(a, b), $"{method} before the restart: {a.ToJsonString()}\nafter: {b.ToJsonString()}");
        }
    }

    [Fact]
    public async Task PinnedReferenceFile_ShiftedStream_FlaggedAgainstThePinnedSet()
    {
        var stream = new EmbeddingStream(seed: 5);
        var file = Path.Combine(_store.DataDirectory, "reference.jsonl");
        await File.WriteAllLinesAsync(file, Repeat(80, stream.Base).Select(v =>
            new JsonObject { ["embedding"] = new JsonArray([.. v.Select(x => JsonValue.Create(x))]) }.ToJsonString()));
        await using var host = await StartAsync(Settings(("Vigil:EmbeddingDrift:ReferenceFile", file)));

        await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(100, stream.Shifted)));
        var drift = await WaitForRoundAsync(host.Client, seen: 100);

        Assert.Equal("pinned", drift["embedding"]!["reference"]!.GetValue<string>());
        Assert.Equal(80, drift["embedding"]!["reference_count"]!.GetValue<int>());
        Assert.True(drift["embedding"]!["is_drifting"]!.GetValue<bool>(), drift.ToJsonString());
        Assert.True(drift["embedding_mmd"]!["is_drifting"]!.GetValue<bool>());
        Assert.Equal(80, drift["embedding_mmd"]!["reference_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task LocalModel_CookingThenTaxQueries_TopicDriftFromQueryText()
    {
        var queries = new TopicQueries(seed: 11);
        var stream = new EmbeddingStream(seed: 1);
        await using var host = await StartAsync(Settings(
            ("Vigil:EmbeddingDrift:LocalModel", "true"), ("Vigil:EmbeddingDrift:ReferenceSize", "60"), ("Vigil:EmbeddingDrift:CurrentSize", "60")));

        await host.Client.PostInteractionsAsync([.. Enumerable.Range(0, 60).Select(_ => stream.Interaction(query: queries.Cooking()))]);
        await host.Client.PostInteractionsAsync([.. Enumerable.Range(0, 60).Select(_ => stream.Interaction(query: queries.Tax()))]);
        var drift = await WaitForRoundAsync(host.Client, seen: 120, timeout: TimeSpan.FromSeconds(60));

        var summary = drift["embedding"]!;
        Assert.Equal("topic", summary["drift_type"]!.GetValue<string>());
        Assert.Equal("local_model", summary["source"]!.GetValue<string>());
        Assert.Equal("sentence-transformers/all-MiniLM-L6-v2", summary["embedding_model"]!.GetValue<string>());
        Assert.Equal(384, summary["dimensions"]!.GetValue<int>());
        Assert.True(summary["is_drifting"]!.GetValue<bool>(), drift.ToJsonString());
        Assert.True(drift["embedding_mmd"]!["is_drifting"]!.GetValue<bool>());
        Assert.True(drift["embedding_ks"]!["is_drifting"]!.GetValue<bool>());
        Assert.True(drift["embedding_cosine"]!["is_drifting"]!.GetValue<bool>());
        var samples = PrometheusSample.ParseAll(await host.Client.GetStringAsync("metrics"));
        Assert.True(Gauge(samples, "llm_drift_score", ("drift_type", "topic")) >= 1);
        Assert.Equal(drift["embedding_cosine"]!["distance"]!.GetValue<double>(), Gauge(samples, "embedding_drift_distance", ("metric", "cosine")), 12);
    }

    [Fact]
    public async Task LocalModel_Restart_QueriesReadBackAndEmbeddedAgain_SameTopicDrift()
    {
        var queries = new TopicQueries(seed: 3);
        var stream = new EmbeddingStream(seed: 3);
        var settings = Settings(("Vigil:EmbeddingDrift:LocalModel", "true"), ("Vigil:EmbeddingDrift:ReferenceSize", "40"), ("Vigil:EmbeddingDrift:CurrentSize", "40"));
        JsonObject before;
        await using (var host = await StartAsync(settings))
        {
            await host.Client.PostInteractionsAsync([.. Enumerable.Range(0, 40).Select(_ => stream.Interaction(query: queries.Cooking()))]);
            await host.Client.PostInteractionsAsync([.. Enumerable.Range(0, 40).Select(_ => stream.Interaction(query: queries.Tax()))]);
            before = await WaitForRoundAsync(host.Client, seen: 80, timeout: TimeSpan.FromSeconds(60));
        }

        await using var restarted = await StartAsync(settings);
        var after = await WaitForRoundAsync(restarted.Client, seen: 80, timeout: TimeSpan.FromSeconds(60));

        Assert.Equal("topic", after["embedding"]!["drift_type"]!.GetValue<string>());
        Assert.True(after["embedding_mmd"]!["is_drifting"]!.GetValue<bool>());
        Assert.Equal(before["embedding_cosine"]!["distance"]!.GetValue<double>(), after["embedding_cosine"]!["distance"]!.GetValue<double>(), 6);
        Assert.Equal(before["embedding_mmd"]!["mmd2"]!.GetValue<double>(), after["embedding_mmd"]!["mmd2"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task LocalModel_MoreTextsThanTheCurrentSetBetweenRounds_OldestDroppedAndCounted()
    {
        var queries = new TopicQueries(seed: 2);
        var stream = new EmbeddingStream(seed: 2);
        await using var host = await StartAsync(Settings(
            ("Vigil:EmbeddingDrift:LocalModel", "true"), ("Vigil:EmbeddingDrift:ReferenceSize", "10"), ("Vigil:EmbeddingDrift:CurrentSize", "10"),
            ("Vigil:EmbeddingDrift:Interval", "1.00:00:00")));

        await host.Client.PostInteractionsAsync([.. Enumerable.Range(0, 40).Select(_ => stream.Interaction(query: queries.Cooking()))]);
        var metrics = await host.Client.GetStringAsync("metrics");
        var summary = (await host.Client.GetReportAsync())["drift"]!["embedding"]!;

        Assert.Equal(20, summary["pending_texts"]!.GetValue<int>());
        Assert.Equal(20, summary["dropped"]!["queue_full"]!.GetValue<long>());
        Assert.Equal(0, summary["reference_count"]!.GetValue<int>());
        Assert.Equal(20, Gauge(PrometheusSample.ParseAll(metrics), "vigil_embedding_drift_dropped_total", ("reason", "queue_full")));
    }

    [Fact]
    public async Task TurnedOff_NothingIsWatched()
    {
        var stream = new EmbeddingStream(seed: 4);
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Vigil:EmbeddingDrift:Enabled"] = "false", ["Vigil:EmbeddingDrift:Interval"] = "00:00:00.200" });

        await host.Client.PostInteractionsAsync(stream.Interactions(Repeat(20, stream.Base)));
        await Task.Delay(600); // three intervals

        var drift = (await host.Client.GetReportAsync())["drift"]!.AsObject();
        Assert.DoesNotContain(drift, p => p.Key.StartsWith("embedding", StringComparison.Ordinal));
        var metrics = await host.Client.GetStringAsync("metrics");
        Assert.DoesNotContain(PrometheusSample.ParseAll(metrics), s => s.Name.Contains("embedding_drift", StringComparison.Ordinal));
        Assert.DoesNotContain("vigil_embedding_drift_dropped_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotConfigured_PostedEmbeddings_CosineDistanceAppearsInMetrics()
    {
        // No Enabled setting and the default set sizes (500 and 500): only the interval is shortened.
        var stream = new EmbeddingStream(seed: 5);
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Vigil:EmbeddingDrift:Interval"] = "00:00:00.200" });

        foreach (var chunk in Repeat(1000, stream.Base).Chunk(500))
        {
            await host.Client.PostInteractionsAsync(stream.Interactions([.. chunk]));
        }

        var drift = await WaitForRoundAsync(host.Client, seen: 1000);
        Assert.Equal(500, drift["embedding"]!["reference_count"]!.GetValue<int>());
        Assert.Equal(500, drift["embedding"]!["current_count"]!.GetValue<int>());
        var samples = PrometheusSample.ParseAll(await host.Client.GetStringAsync("metrics"));
        Assert.Contains(samples, s => s.Name == "embedding_drift_distance" && s.Has(("metric", "cosine"), ("model", "default")));
        Assert.Contains(samples, s => s.Name == "llm_drift_score" && s.Has(("drift_type", "embedding")));
    }

    [Fact]
    public async Task NotConfigured_RecordsWithoutEmbeddings_ReportAndMetricsShowNoWatch()
    {
        await using var host = await StartAsync(new Dictionary<string, string?> { ["Vigil:EmbeddingDrift:Interval"] = "00:00:00.200" });

        await host.Client.PostInteractionsAsync([.. Enumerable.Range(0, 50).Select(_ => TestRecords.Interaction())]);
        await Task.Delay(600); // three intervals

        var drift = (await host.Client.GetReportAsync())["drift"]!.AsObject();
        Assert.DoesNotContain(drift, p => p.Key.StartsWith("embedding", StringComparison.Ordinal));
        var metrics = await host.Client.GetStringAsync("metrics");
        Assert.DoesNotContain(PrometheusSample.ParseAll(metrics), s => s.Name.Contains("embedding_drift", StringComparison.Ordinal));
        Assert.DoesNotContain(PrometheusSample.ParseAll(metrics), s => s.Name == "llm_drift_score" && s.Has(("drift_type", "embedding")));
    }

    [Theory]
    [InlineData("Vigil:EmbeddingDrift:Methods", "ks,cosine,fourier", "'fourier'")]
    [InlineData("Vigil:EmbeddingDrift:Methods", " , ", "Methods is empty")]
    [InlineData("Vigil:EmbeddingDrift:Interval", "00:00:00", "Interval must be")]
    [InlineData("Vigil:EmbeddingDrift:Interval", "soon", "Interval")]
    [InlineData("Vigil:EmbeddingDrift:ReferenceSize", "1", "ReferenceSize")]
    [InlineData("Vigil:EmbeddingDrift:RestoreSpan", "-1.00:00:00", "RestoreSpan")]
    [InlineData("Vigil:EmbeddingDrift:Enable", "true", "unknown setting(s) 'Enable'")]
    [InlineData("Vigil:Embeddings:MaxBatchSize", "0", "MaxBatchSize")]
    [InlineData("Vigil:EmbeddingDrift:ReferenceFile", "/nonexistent/reference.jsonl", "/nonexistent/reference.jsonl: no such file")]
    [InlineData("Vigil:Drift:Alpha", "2", "Alpha")]
    [InlineData("Vigil:Server:Content", "Drop", "Content is Drop")]
    public async Task BadConfiguration_RefusesToStartNamingTheSetting(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<VigilServerStartupException>(() =>
            StartAsync(Settings(("Vigil:EmbeddingDrift:LocalModel", "true"), (key, value))));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReferenceFileWithABadLine_RefusesToStartNamingFileAndLine()
    {
        var file = Path.Combine(_store.DataDirectory, "reference.jsonl");
        await File.WriteAllLinesAsync(file, ["{\"embedding\": [1, 2]}", "{\"embedding\": [1, \"x\"]}", "{\"embedding\": [3, 4]}"]);

        var error = await Assert.ThrowsAsync<VigilServerStartupException>(() => StartAsync(Settings(("Vigil:EmbeddingDrift:ReferenceFile", file))));

        Assert.Contains($"{file}:2:", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Vigil:EmbeddingDrift:Enabled"] = "true",
            ["Vigil:EmbeddingDrift:ReferenceSize"] = "100",
            ["Vigil:EmbeddingDrift:CurrentSize"] = "100",
            ["Vigil:EmbeddingDrift:Interval"] = "00:00:00.200",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    private Task<CollectorHost> StartAsync(Dictionary<string, string?> settings) => CollectorHost.StartAsync(_store, settings: settings);

    private static List<float[]> Repeat(int count, Func<float[]> next) => Enumerable.Range(0, count).Select(_ => next()).ToList();

    /// <summary>Polls the report until a round has covered <paramref name="seen"/> vectors; returns its drift object.</summary>
    private static async Task<JsonObject> WaitForRoundAsync(HttpClient client, long seen, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var drift = (await client.GetReportAsync())["drift"]!.AsObject();
            if (drift["embedding_cosine"]?["vectors_seen"]?.GetValue<long>() == seen)
            {
                return drift;
            }

            if (clock.Elapsed > (timeout ?? TimeSpan.FromSeconds(20)))
            {
                throw new Xunit.Sdk.XunitException($"No round covered {seen} vectors in {clock.Elapsed}: {drift.ToJsonString()}");
            }

            await Task.Delay(50);
        }
    }

    private static double Gauge(IReadOnlyList<PrometheusSample> samples, string name, params (string Name, string Value)[] labels)
    {
        var matching = samples.Where(s => s.Name == name && s.Has(labels)).ToList();
        Assert.True(matching.Count == 1, $"expected one {name} with {string.Join(",", labels)}, found {matching.Count}");
        return matching[0].Value;
    }

    private static void AssertGaugesMatchReport(IReadOnlyList<PrometheusSample> samples, JsonObject drift)
    {
        static double Field(JsonObject drift, string entry, string field) => drift[entry]![field]!.GetValue<double>();

        Assert.All(samples.Where(s => s.Name == "embedding_drift_distance"), s => Assert.Equal("default", s.Labels["model"]));
        Assert.Equal(Field(drift, "embedding_cosine", "distance"), Gauge(samples, "embedding_drift_distance", ("metric", "cosine")), 12);
        Assert.Equal(Field(drift, "embedding_euclidean", "distance"), Gauge(samples, "embedding_drift_distance", ("metric", "euclidean")), 12);
        Assert.Equal(Field(drift, "embedding_mmd", "mmd2"), Gauge(samples, "embedding_drift_distance", ("metric", "mmd")), 12);
        Assert.Equal(Field(drift, "embedding_ks", "drift_ratio"), Gauge(samples, "embedding_drift_distance", ("metric", "ks")), 12);
        Assert.Equal(Field(drift, "embedding", "drift_score"), Gauge(samples, "llm_drift_score", ("model", "default"), ("drift_type", "embedding")), 12);
    }
}
