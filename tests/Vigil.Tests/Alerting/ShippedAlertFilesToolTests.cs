using System.Text.RegularExpressions;
using Vigil.Tests.Metrics;

namespace Vigil.Tests.Alerting;

/// <summary>The committed deploy/ files, checked with the real tools from Debian's packages (scripts/bootstrap installs them).</summary>
public sealed class ShippedAlertFilesToolTests
{
    [Fact]
    public void PromtoolCheckRules_ShippedRuleFile_Succeeds()
    {
        var (exitCode, output) = Promtool.Run(Promtool.Find(), "check rules " + RepositoryFiles.Deploy("prometheus/llm_alerts.yml"));

        Assert.True(exitCode == 0, $"promtool check rules failed ({exitCode}):\n{output}");
        Assert.Contains("SUCCESS: 10 rules found", output, StringComparison.Ordinal);
    }

    [Fact]
    public void PromtoolCheckRules_ShippedSloRuleFile_Succeeds()
    {
        var (exitCode, output) = Promtool.Run(Promtool.Find(), "check rules " + RepositoryFiles.Deploy("prometheus/llm_slo.yml"));

        Assert.True(exitCode == 0, $"promtool check rules failed ({exitCode}):\n{output}");
        Assert.Contains("SUCCESS: 18 rules found", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llm_alerts_test.yml", "llm_alerts.yml")]
    [InlineData("llm_slo_test.yml", "llm_slo.yml")]
    public void PromtoolTestRules_TestFile_LoadsItsShippedRuleFile(string testFile, string ruleFile)
    {
        var tests = File.ReadAllText(RepositoryFiles.Deploy("prometheus/tests/" + testFile));

        Assert.Contains("rule_files:\n  - ../" + ruleFile + "\n\n", tests, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("llm_alerts_test.yml")]
    [InlineData("llm_slo_test.yml")]
    public void PromtoolTestRules_EveryAlertFiresAndStaysSilent_Succeeds(string file)
    {
        var (exitCode, output) = Promtool.Run(Promtool.Find(), "test rules " + RepositoryFiles.Deploy("prometheus/tests/" + file));

        Assert.True(exitCode == 0, $"promtool test rules failed ({exitCode}):\n{output}");
    }

    [Fact]
    public void PromtoolTestRules_Tests_CoverEveryAlertFiringAndSilent()
    {
        var tests = File.ReadAllText(RepositoryFiles.Deploy("prometheus/tests/llm_alerts_test.yml"))
            + File.ReadAllText(RepositoryFiles.Deploy("prometheus/tests/llm_slo_test.yml"));

        foreach (var rule in Vigil.Alerting.AlertRuleCatalog.Rules)
        {
            var checks = tests.Split("alertname: " + rule.Name + "\n", StringSplitOptions.None).Skip(1).ToList();
            Assert.Contains(checks, check => check.TrimStart().StartsWith("exp_alerts: []", StringComparison.Ordinal));
            Assert.Contains(checks, check => check.TrimStart().StartsWith("exp_alerts:\n", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void PromtoolTestRules_ZeroTrafficNaNChecks_UseTheCatalogsGuardedExpressions()
    {
        var tests = File.ReadAllText(RepositoryFiles.Deploy("prometheus/tests/llm_alerts_test.yml"));
        // The ratios and quantiles: what would be NaN without traffic if unguarded.
        var guarded = Vigil.Alerting.AlertRuleCatalog.Rules
            .Where(rule => rule.Expression.Contains(" / ", StringComparison.Ordinal) || rule.Expression.Contains("histogram_quantile", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(5, guarded.Count);
        foreach (var rule in guarded)
        {
            // The expression without its final comparison line, on one line, without the parentheses around a quantile.
            var compared = Regex.Replace(string.Join(' ', rule.Expression.Split('\n')[..^1]), @"\s+", " ").Trim();
            if (compared.StartsWith("( ", StringComparison.Ordinal) && compared.EndsWith(" )", StringComparison.Ordinal))
            {
                compared = compared[2..^2];
            }

            Assert.Contains("- expr: '" + compared + "'", tests, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AmtoolCheckConfig_ShippedAlertmanagerConfig_Succeeds()
    {
        var amtool = RepositoryFiles.FindTool("amtool", "prometheus-alertmanager");

        var (exitCode, output) = Promtool.Run(amtool, "check-config " + RepositoryFiles.Deploy("alertmanager/alertmanager.yml"));

        Assert.True(exitCode == 0, $"amtool check-config failed ({exitCode}):\n{output}");
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("critical", "pagerduty-critical,slack-alerts")]
    [InlineData("high", "pagerduty-high,slack-alerts")]
    [InlineData("warning", "slack-alerts")]
    [InlineData("info", "slack-info")]
    public void AmtoolRoutesTest_EachSeverity_ReachesTheSeedsReceivers(string severity, string receivers)
    {
        var amtool = RepositoryFiles.FindTool("amtool", "prometheus-alertmanager");

        var (exitCode, output) = Promtool.Run(amtool, $"config routes test --config.file={RepositoryFiles.Deploy("alertmanager/alertmanager.yml")} alertname=LLMTest severity={severity}");

        Assert.True(exitCode == 0, $"amtool config routes test failed ({exitCode}):\n{output}");
        // stdout (the receivers, the last line maybe without a newline) comes before stderr's warning.
        Assert.Matches("^" + Regex.Escape(receivers) + @"(\s|Warning|$)", output);
    }
}
