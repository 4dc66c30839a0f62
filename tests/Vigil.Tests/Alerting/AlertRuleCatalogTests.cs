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
            AlertRuleCatalog.Rules.Select(rule => rule.Name));
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
