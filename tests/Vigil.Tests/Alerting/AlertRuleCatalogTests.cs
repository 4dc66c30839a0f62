using System.Globalization;
using Vigil.Alerting;

namespace Vigil.Tests.Alerting;

public sealed class AlertRuleCatalogTests
{
    public static TheoryData<string, string, AlertSeverity, double, string> SeedRules => new()
    {
        // The seed's §7: name, group, severity, threshold, for.
        { "LLMSuccessRateCritical", "llm_availability", AlertSeverity.Critical, 0.95, "2m" },
        { "LLMRateLimitHigh", "llm_availability", AlertSeverity.High, 10, "5m" },
        { "LLMP99LatencyHigh", "llm_latency", AlertSeverity.High, 15, "5m" },
        { "LLMTTFTHigh", "llm_latency", AlertSeverity.Warning, 2, "10m" },
        { "LLMBudgetWarning", "llm_cost", AlertSeverity.Warning, 0.8, "1h" },
        { "LLMCostSpike", "llm_cost", AlertSeverity.High, 2, "30m" },
        { "LLMHallucinationRateHigh", "llm_quality", AlertSeverity.High, 0.10, "30m" },
        { "LLMQualityDrift", "llm_quality", AlertSeverity.Warning, 2.0, "1h" },
        { "LLMSatisfactionLow", "llm_quality", AlertSeverity.Warning, 0.80, "6h" },
        { "EmbeddingDriftDetected", "llm_drift", AlertSeverity.Info, 0.05, "2h" },
    };

    [Fact]
    public void Rules_Catalog_HoldsTheSeedsTenInItsOrder()
    {
        Assert.Equal(
            SeedRules.Select(row => (string)row[0]),
            AlertRuleCatalog.SeedRules.Select(rule => rule.Name));
    }

    [Fact]
    public void Rules_Catalog_IsTheSeedsTenThenTheSloBurnRates()
    {
        Assert.Equal(
            AlertRuleCatalog.SeedRules.Concat(AlertRuleCatalog.SloRules),
            AlertRuleCatalog.Rules);
        Assert.Equal(
            ["LLMAvailabilityBudgetBurnFast", "LLMAvailabilityBudgetBurnSlow", "LLMLatencyBudgetBurnFast", "LLMLatencyBudgetBurnSlow"],
            AlertRuleCatalog.SloRules.Select(rule => rule.Name));
    }

    [Theory]
    [InlineData("LLMAvailabilityBudgetBurnFast", AlertSeverity.Critical, "llm:availability_error_ratio:rate1h > (14.4 * 0.005)", "llm:availability_error_ratio:rate30m > (6 * 0.005)")]
    [InlineData("LLMAvailabilityBudgetBurnSlow", AlertSeverity.Warning, "llm:availability_error_ratio:rate1d > (3 * 0.005)", "llm:availability_error_ratio:rate6h > (1 * 0.005)")]
    [InlineData("LLMLatencyBudgetBurnFast", AlertSeverity.Critical, "llm:latency_slow_ratio:rate5m > (14.4 * 0.05)", "llm:latency_slow_ratio:rate6h > (6 * 0.05)")]
    [InlineData("LLMLatencyBudgetBurnSlow", AlertSeverity.Warning, "llm:latency_slow_ratio:rate2h > (3 * 0.05)", "llm:latency_slow_ratio:rate3d > (1 * 0.05)")]
    public void SloRules_BurnRate_PagesOrTicketsOnTheWorkbooksWindowPairs(string name, AlertSeverity severity, string firstPair, string secondPair)
    {
        var rule = AlertRuleCatalog.SloRules.Single(r => r.Name == name);

        Assert.Equal(severity, rule.Severity);
        Assert.Contains(firstPair, rule.Expression, StringComparison.Ordinal);
        Assert.Contains(secondPair, rule.Expression, StringComparison.Ordinal);
        Assert.Contains("\nor\n", rule.Expression, StringComparison.Ordinal);
    }

    [Fact]
    public void RecordingRules_EveryWindowOfBothRatios_IsRecordedAndGuarded()
    {
        var names = AlertRuleCatalog.RecordingRules.Select(r => r.Name).ToList();

        foreach (var window in new[] { "5m", "30m", "1h", "2h", "6h", "1d", "3d" })
        {
            Assert.Contains("llm:availability_error_ratio:rate" + window, names);
            Assert.Contains("llm:latency_slow_ratio:rate" + window, names);
        }

        Assert.Equal(14, names.Count);
        Assert.All(AlertRuleCatalog.RecordingRules, r => Assert.Matches(@" / \(sum\(rate\([^\n]*\)\) > 0\)$", r.Expression));
        Assert.All(AlertRuleCatalog.RecordingRules.Where(r => r.Name.Contains("latency", StringComparison.Ordinal)),
            r => Assert.Contains("le=~\"5(\\\\.0)?\"", r.Expression, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(SeedRules))]
    public void Rules_SeedRule_HasTheSeedsGroupSeverityThresholdAndFor(string name, string group, AlertSeverity severity, double threshold, string forDuration)
    {
        var rule = AlertRuleCatalog.Rules.Single(r => r.Name == name);

        Assert.Equal(group, rule.Group);
        Assert.Equal(severity, rule.Severity);
        Assert.Equal(threshold, rule.Threshold);
        Assert.Equal(forDuration, YamlText.Duration(rule.For));
        Assert.Contains(threshold.ToString(CultureInfo.InvariantCulture), rule.Expression.Split('\n')[^1], StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(rule.Summary));
        Assert.False(string.IsNullOrWhiteSpace(rule.Description));
        Assert.Equal(name + ".md", rule.RunbookFileName);
    }

    [Fact]
    public void Rules_HallucinationRate_DividesByJudgedInteractions()
    {
        var rule = AlertRuleCatalog.Rules.Single(r => r.Name == "LLMHallucinationRateHigh");

        Assert.Contains("vigil_judge_calls_total{outcome=\"verdict\"}", rule.Expression, StringComparison.Ordinal);
        Assert.DoesNotContain("llm_requests_total", rule.Expression, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_BudgetWarning_ComparesWithTheBudgetGauge()
    {
        var rule = AlertRuleCatalog.Rules.Single(r => r.Name == "LLMBudgetWarning");

        Assert.Contains("vigil_budget_monthly_dollars", rule.Expression, StringComparison.Ordinal);
        Assert.DoesNotContain("5000", rule.Expression, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_EveryDivision_IsGuardedAgainstZero()
    {
        foreach (var rule in AlertRuleCatalog.Rules.Where(r => r.Expression.Contains(" / ", StringComparison.Ordinal)))
        {
            Assert.Matches(@" / \(sum\(rate\([^\n]*\)\) > 0\)", rule.Expression);
        }
    }
}
