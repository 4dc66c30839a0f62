using System.Text.Json;
using Vigil.Classification;
using Vigil.Pricing;
using Vigil.Records;
using Vigil.Reports;

namespace Vigil.Tests.Reports;

public sealed class ReportBuilderTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Build_Figures_MatchIndependentComputation()
    {
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var random = new Random(11);
        var records = Enumerable.Range(0, 3000).Select(i => normalizer.Normalize(new InteractionRecord
        {
            TraceId = $"t{i}",
            Timestamp = At.AddSeconds(i),
            Model = i % 3 == 0 ? "gpt-4.1" : "gpt-4.1-mini",
            Feature = i % 2 == 0 ? "customer_service" : "search",
            UserTier = i % 5 == 0 ? "pro" : "free",
            Status = i % 50 == 0 ? InteractionStatus.Error : InteractionStatus.Success,
            HttpStatus = i % 50 == 0 ? 503 : null,
            ErrorType = i % 50 != 0 && i % 40 == 0 ? ErrorType.Refusal : null,
            LatencyMs = Math.Exp(7 + (0.8 * Slo.QuantileSketchTests.Gaussian(random))),
            TtftMs = i % 4 == 0 ? 100 + random.Next(900) : null,
            InputTokens = 100 + i,
            OutputTokens = 50,
        })).ToList();
        var aggregate = new SignalAggregate();
        records.ForEach(r => aggregate.Add(r));

        var report = ReportBuilder.Build(aggregate, new ReportWindow(At, At.AddHours(1)), new SignalOptions());

        var global = report.Sla["global"];
        Assert.Equal(3000, global.Requests);
        Assert.Equal(records.Count(r => r.Status == InteractionStatus.Success) / 3000.0, global.SuccessRate);
        Assert.Equal(records.Count(r => r.IsGood) / 3000.0, global.GoodRate);
        var latencies = records.Select(r => r.LatencyMs).Order().ToArray();
        foreach (var (q, figure) in new[] { (0.5, global.P50Ms), (0.95, global.P95Ms), (0.99, global.P99Ms) })
        {
            var exact = latencies[Math.Min(latencies.Length - 1, (int)Math.Floor(q * latencies.Length))];
            Assert.InRange(figure!.Value, exact * 0.99, exact * 1.01);
        }

        var ttfts = records.Where(r => r.TtftMs is not null).Select(r => r.TtftMs!.Value).Order().ToArray();
        var exactTtft = ttfts[(int)Math.Floor(0.95 * ttfts.Length)];
        Assert.InRange(global.TtftP95Ms!.Value, exactTtft * 0.99, exactTtft * 1.01);

        var successRate = global.SuccessRate!.Value;
        Assert.Equal(Math.Max(0, (0.005 - (1 - successRate)) / 0.005 * 100), global.ErrorBudgetRemainingPercent!.Value, 9);
        Assert.Equal(records.Count(r => r.Model == "gpt-4.1"), report.Sla["model:gpt-4.1"].Requests);
        Assert.Equal(records.Count(r => r.UserTier == "pro"), report.Sla["user_tier:pro"].Requests);

        var expectedCost = records.Sum(r => PriceCatalog.Default.Quote(r.Model, r.InputTokens!.Value, r.OutputTokens!.Value).Usd);
        Assert.Equal(Math.Round(expectedCost, 10), report.Cost.TotalUsd);
        Assert.Equal(Math.Round(records.Where(r => r.Feature == "search").Sum(r => r.CostUsd!.Value), 10), report.Cost.ByFeature["search"]);
        Assert.Equal(records.Count(r => r.ErrorType == ErrorType.ServerError), report.Errors["server_error"]);
        Assert.Equal(records.Count(r => r.ErrorType == ErrorType.Refusal), report.Errors["refusal"]);
        Assert.Equal(records.Sum(r => r.InputTokens!.Value), report.Tokens.Input);
    }

    [Fact]
    public void Build_ManyUsers_TopUsersAreTheLargestThenByNameWithoutZeros()
    {
        // 5,000 users: sums of 0 to 49 cents (ties by the hundred), a few users whose cost was taken out again (sum 0).
        var aggregate = new SignalAggregate(maxUsers: 10_000);
        var sums = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var random = new Random(5);
        foreach (var i in Enumerable.Range(0, 5000).OrderBy(_ => random.Next()))
        {
            var user = $"user-{i}";
            var usd = (i * 37 % 50) / 100m;
            Record(user, usd, sign: 1);
            sums[user] = usd;
        }

        Record("user-removed", 99m, sign: 1);
        Record("user-removed", 99m, sign: -1);
        var options = new SignalOptions { TopUsers = 7 };

        var top = ReportBuilder.Build(aggregate, new ReportWindow(At, At.AddHours(1)), options).Cost.TopUsers;

        var expected = sums.Where(p => p.Value != 0).OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(7).ToList();
        Assert.Equal(expected.Select(p => p.Key), top.Keys);
        Assert.Equal(expected.Select(p => p.Value), top.Values);
        Assert.Empty(ReportBuilder.Build(aggregate, new ReportWindow(At, At.AddHours(1)), new SignalOptions { TopUsers = 0 }).Cost.TopUsers);

        void Record(string user, decimal usd, int sign) => aggregate.Add(new InteractionRecord
        {
            TraceId = $"{user}-{sign}",
            Timestamp = At,
            Model = "gpt-4.1",
            UserId = user,
            Status = InteractionStatus.Success,
            LatencyMs = 100,
            CostUsd = usd,
        }, sign);
    }

    [Fact]
    public void Build_NoData_FiguresAreNullNotZero()
    {
        var report = ReportBuilder.Build(new SignalAggregate(), new ReportWindow(null, null), new SignalOptions(), budgetAt: At);

        using var json = JsonDocument.Parse(JsonSerializer.Serialize(report, ReportJsonContext.Default.HealthReport));
        var root = json.RootElement;
        var global = root.GetProperty("sla").GetProperty("global");
        Assert.Equal(0, global.GetProperty("requests").GetInt64());
        foreach (var key in new[] { "success_rate", "good_rate", "p50_ms", "p95_ms", "p99_ms", "ttft_p95_ms", "error_budget_remaining_percent" })
        {
            Assert.Equal(JsonValueKind.Null, global.GetProperty(key).ValueKind);
        }

        foreach (var key in new[] { "thumbs_up_rate", "avg_rating", "avg_csat", "csat_satisfied_percent", "nps" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty("satisfaction").GetProperty(key).ValueKind);
        }

        Assert.Equal(JsonValueKind.Null, root.GetProperty("cost").GetProperty("per_interaction_usd").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("cache").GetProperty("hit_rate").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("quality").GetProperty("avg_overall").ValueKind);
        Assert.Equal("normal", root.GetProperty("incident").GetProperty("mode").GetString());
    }

    [Fact]
    public void Build_Budget_WritesTheHourlyBudgetOfTheWindowsMonth()
    {
        var aggregate = new SignalAggregate();
        aggregate.Add(new InteractionRecord { TraceId = "t", Timestamp = At, Model = "m", Status = InteractionStatus.Success, LatencyMs = 5 });

        var json = JsonSerializer.Serialize(ReportBuilder.Build(aggregate, new ReportWindow(At, At), new SignalOptions { MonthlyBudgetUsd = 7200m }),
            ReportJsonContext.Default.HealthReport);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(10m, document.RootElement.GetProperty("cost").GetProperty("budget").GetProperty("hourly_budget_usd").GetDecimal()); // 7200 / (30 × 24)
    }

    [Fact]
    public void Build_NoBudget_WritesANullHourlyBudget()
    {
        var json = JsonSerializer.Serialize(ReportBuilder.Build(new SignalAggregate(), new ReportWindow(At, At), new SignalOptions { MonthlyBudgetUsd = 0m }),
            ReportJsonContext.Default.HealthReport);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("cost").GetProperty("budget").GetProperty("hourly_budget_usd").ValueKind);
    }

    [Fact]
    public void Build_Json_HasEveryFixedKeyOfTheContract()
    {
        var aggregate = new SignalAggregate();
        aggregate.Add(new InteractionRecord { TraceId = "t", Timestamp = At, Model = "m", Status = InteractionStatus.Success, LatencyMs = 5 });

        var json = JsonSerializer.Serialize(ReportBuilder.Build(aggregate, new ReportWindow(At, At), new SignalOptions()), ReportJsonContext.Default.HealthReport);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        string[][] paths =
        [
            ["window", "from"], ["window", "to"], ["sla", "global", "requests"], ["sla", "global", "success_rate"], ["sla", "global", "good_rate"],
            ["sla", "global", "p50_ms"], ["sla", "global", "p95_ms"], ["sla", "global", "p99_ms"], ["sla", "global", "ttft_p95_ms"],
            ["sla", "global", "error_budget_remaining_percent"], ["sla", "model:m"], ["sla", "feature:default"], ["sla", "user_tier:free"],
            ["errors"], ["tokens", "input"], ["tokens", "output"], ["tokens", "cached"],
            ["cost", "total_usd"], ["cost", "per_interaction_usd"], ["cost", "by_model"], ["cost", "by_feature"], ["cost", "by_user_tier"],
            ["cost", "budget", "monthly_budget_usd"], ["cost", "budget", "month_total_usd"], ["cost", "budget", "usage_percent"],
            ["cost", "budget", "daily_average_usd"], ["cost", "budget", "projected_monthly_usd"], ["cost", "budget", "projected_over_budget"],
            ["cache", "hits"], ["cache", "misses"], ["cache", "hit_rate"],
            ["satisfaction", "total_feedbacks"], ["satisfaction", "thumbs_up_rate"], ["satisfaction", "avg_rating"], ["satisfaction", "avg_csat"],
            ["satisfaction", "csat_satisfied_percent"], ["satisfaction", "nps"],
            ["quality", "evaluated"], ["quality", "avg_overall"], ["quality", "hallucination_rate"], ["drift"], ["incident", "mode"],
        ];
        foreach (var path in paths)
        {
            var element = root;
            foreach (var key in path)
            {
                Assert.True(element.TryGetProperty(key, out element), $"missing {string.Join('.', path)}");
            }
        }
    }

    [Fact]
    public void Normalize_ErrorWithoutType_DerivesItFromHttpStatus()
    {
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        InteractionRecord Error(int? status) => new() { TraceId = "t", Timestamp = At, Model = "m", Status = InteractionStatus.Error, LatencyMs = 1, HttpStatus = status };

        Assert.Equal(ErrorType.RateLimit, normalizer.Normalize(Error(429)).ErrorType);
        Assert.Equal(ErrorType.AuthFailure, normalizer.Normalize(Error(403)).ErrorType);
        Assert.Equal(ErrorType.ContextOverflow, normalizer.Normalize(Error(413)).ErrorType);
        Assert.Equal(ErrorType.ServerError, normalizer.Normalize(Error(502)).ErrorType);
        Assert.Equal(ErrorType.Timeout, normalizer.Normalize(Error(408)).ErrorType);
        Assert.Equal(ErrorType.ServerError, normalizer.Normalize(Error(null)).ErrorType);
        Assert.Null(normalizer.Normalize(Error(400)).ErrorType);
        var badRequest = normalizer.Normalize(Error(400));
        Assert.Equal("bad_request", ErrorKeys.Of(badRequest.Status, badRequest.ErrorType));
    }

    [Fact]
    public void Normalize_CostGiven_IsKept_CostAbsent_IsPriced()
    {
        var normalizer = new InteractionNormalizer(PriceCatalog.Default);
        var record = new InteractionRecord { TraceId = "t", Timestamp = At, Model = "gpt-4.1", Status = InteractionStatus.Success, LatencyMs = 1, InputTokens = 1000, OutputTokens = 1000 };

        Assert.Equal(0.01m, normalizer.Normalize(record).CostUsd);
        Assert.Equal(0.5m, normalizer.Normalize(record with { CostUsd = 0.5m }).CostUsd);
    }
}
