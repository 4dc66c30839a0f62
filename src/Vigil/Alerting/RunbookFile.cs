using System.Globalization;
using System.Text;

namespace Vigil.Alerting;

/// <summary>
/// Writes one runbook per rule, from the seed's incident runbook (§9) adapted to the alert: severity criteria, the
/// first 15 minutes, diagnosis, fixes and follow-up. The two rules that correct the seed explain why.
/// </summary>
public static class RunbookFile
{
    private sealed record Specifics(string Signal, string[] Diagnosis, string[] Fixes, string? Correction = null);

    private static readonly Dictionary<string, Specifics> ByRule = new(StringComparer.Ordinal)
    {
        ["LLMSuccessRateCritical"] = new(
            "the share of LLM calls with `status=\"success\"` over 5 minutes",
            ["Break the failures down: `sum by (error_type) (rate(llm_requests_total{status!=\"success\"}[5m]))` and `sum by (model) (...)`.",
             "Check the model provider's status page; auth failures (401/403) mean a key was revoked or rotated.",
             "Compare with the last deploys: client library, prompt, model id, timeouts."],
            ["Provider outage: switch to the fallback model (degradation mode `fallback_model`), or `static_response` below 90%.",
             "Auth failure: restore or rotate the API key.",
             "A bad deploy: roll it back."]),
        ["LLMRateLimitHigh"] = new(
            "rate-limit errors (`llm_errors_total{error_type=\"rate_limit\"}`) per second over 5 minutes",
            ["Which models and features send the traffic: `sum by (model) (rate(llm_requests_total[5m]))`.",
             "Compare the request and token rates with the provider's quota for the account.",
             "Look for a retry storm: clients retrying 429s without honouring Retry-After."],
            ["Raise the quota or spread load over deployments/regions.",
             "Queue or throttle requests; honour Retry-After with backoff.",
             "Serve more from the cache (`cached_only` while it lasts)."]),
        ["LLMP99LatencyHigh"] = new(
            "the 99th percentile of `llm_request_duration_seconds` over 5 minutes",
            ["Per model: `histogram_quantile(0.99, sum by (le, model) (rate(llm_request_duration_seconds_bucket[5m])))`.",
             "Check the provider's status and the network path; compare TTFT (provider queueing) with total time (long outputs).",
             "Look for longer prompts or outputs: `rate(llm_tokens_total[5m])` by token_type."],
            ["Switch slow traffic to a faster or fallback model.",
             "Cap output tokens; trim context.",
             "Above 30 s P99 the seed's policy moves to `fallback_model`."]),
        ["LLMTTFTHigh"] = new(
            "the 95th percentile of `llm_time_to_first_token_seconds` over 5 minutes",
            ["Per model: `histogram_quantile(0.95, sum by (le, model) (rate(llm_time_to_first_token_seconds_bucket[5m])))`.",
             "Provider queueing shows as TTFT rising while tokens per second stay flat.",
             "Check prompt sizes: long prompts delay the first token."],
            ["Move latency-sensitive features to a faster model.",
             "Shorten system prompts and retrieved context; use prompt caching where the provider offers it."]),
        ["LLMBudgetWarning"] = new(
            "the last 24 hours' cost times 30 against 80% of the configured monthly budget",
            ["Which features, models and user tiers spend: `sum by (feature) (increase(llm_cost_dollars_total[24h]))`.",
             "Compare today's request volume and cost per interaction with last week's.",
             "Check the cache hit rate: a drop raises cost."],
            ["Route cheap features to a cheaper model.",
             "Rate-limit the features or tiers that overspend.",
             "If the budget is simply too low, raise the configured monthly budget (the value the gauge `vigil_budget_monthly_dollars` exports)."],
            "The seed compares with a hard-coded $5000. This rule compares with the configured monthly budget, exported as the gauge `vigil_budget_monthly_dollars`, so the alert follows the budget a team sets. Without the gauge (or with a budget of 0) the rule returns no series and never fires."),
        ["LLMCostSpike"] = new(
            "the last hour's cost against twice the hourly average of the last 7 days",
            ["Which feature, model or tier spikes: `sum by (feature) (increase(llm_cost_dollars_total[1h]))`.",
             "Look for abuse or a loop: one user or agent calling repeatedly (the interaction records carry user ids).",
             "Check the cache hit rate and whether a deploy changed the model or prompt size."],
            ["Block or rate-limit the abusive caller; stop the looping agent.",
             "Restore the cache; roll back a model or prompt change that raised token use."]),
        ["LLMHallucinationRateHigh"] = new(
            "hallucinations found by the LLM judge per interaction it gave a verdict on, over 1 hour",
            ["Export the last judged traces flagged as hallucinations; review 10-20 by hand for a common cause.",
             "Compare recent changes: prompt version, model version, RAG knowledge base updates.",
             "Check retrieval: empty or off-topic context makes answers up."],
            ["Prompt drift: roll back to the last stable prompt version.",
             "Model update: pin the model version (e.g. gpt-4.1-2025-04-14).",
             "RAG pollution: roll the knowledge base back to the last snapshot.",
             "Above 20% the seed's policy moves to `static_response`."],
            "The seed divides by every successful request (`llm_requests_total{status=\"success\"}`), but the judge only sees a sample (5% by default): the seed's ratio reads a twentieth of the true rate and never fires. This rule divides by the interactions the judge gave a verdict on (`vigil_judge_calls_total{outcome=\"verdict\"}`), so 10% means 10% of judged answers. Without judged traffic it returns no series."),
        ["LLMQualityDrift"] = new(
            "the Z-score of recent judge scores against their baseline (`llm_drift_score{drift_type=~\"quality_.*\"}`)",
            ["Which dimension drifts (relevance, coherence, faithfulness, safety, overall) and for which model.",
             "Compare recent changes: prompt, model version, knowledge base, traffic mix (new feature, new user group).",
             "Run an offline evaluation of the same inputs against the historical outputs."],
            ["Roll back the change that lowered scores; pin the model version.",
             "If the traffic mix changed and quality is fine, re-baseline."]),
        ["LLMSatisfactionLow"] = new(
            "the thumbs-up share of thumbs feedback over 24 hours",
            ["Read the negative feedback and its comments; group by feature.",
             "Join thumbs-down traces with judge scores: low scores point at quality, high scores at UX or expectations.",
             "Compare with CSAT and NPS over the same period."],
            ["Fix the quality cause (see LLMQualityDrift and LLMHallucinationRateHigh).",
             "Hand the UX or product cause to the feature team."]),
        ["EmbeddingDriftDetected"] = new(
            "the cosine distance between the centroids of recent and reference embeddings",
            ["Run `vigil drift --method all` on the reference and recent embeddings to confirm with KS and MMD.",
             "Cluster recent queries: a new topic, language or user group?",
             "Check whether the embedding model itself changed (re-embed both sets with one model)."],
            ["New legitimate traffic: extend the knowledge base and prompts to it, then re-baseline.",
             "Embedding model change: re-embed the reference."]),
        ["LLMAvailabilityBudgetBurnFast"] = new(
            "the error ratio (`llm:availability_error_ratio:rate1h` and `rate5m`, or `rate6h` and `rate30m`) against 14.4 or 6 times the 0.5% error budget of the 99.5% availability SLO",
            ["Break the failures down: `sum by (error_type, model) (rate(llm_requests_total{status!=\"success\"}[5m]))`.",
             "Check the model provider's status page and the last deploys.",
             "See how much of the month's budget is gone: `llm:availability_error_ratio:rate3d / 0.005` is the burn rate of the last 3 days."],
            ["Provider outage: switch to the fallback model (degradation mode `fallback_model`).",
             "A bad deploy: roll it back.",
             "Rate limits: queue or throttle (see LLMRateLimitHigh)."]),
        ["LLMAvailabilityBudgetBurnSlow"] = new(
            "the error ratio (`llm:availability_error_ratio:rate1d` and `rate2h`, or `rate3d` and `rate6h`) against 3 or 1 times the 0.5% error budget of the 99.5% availability SLO",
            ["Break the failures down by `error_type`, `model` and `endpoint` over the last day.",
             "Look for a slow rise: a quota nearing its limit, a flaky dependency, a growing share of timeouts."],
            ["Fix the leading error type; raise quotas or timeouts where they are the cause.",
             "If the errors are expected (a client's bad requests), exclude them from the SLO by fixing the client."]),
        ["LLMLatencyBudgetBurnFast"] = new(
            "the share of calls slower than 5 s (`llm:latency_slow_ratio:rate1h` and `rate5m`, or `rate6h` and `rate30m`) against 14.4 or 6 times the 5% error budget of the latency SLO (95% under 5 s)",
            ["Per model: `histogram_quantile(0.95, sum by (le, model) (rate(llm_request_duration_seconds_bucket[5m])))`.",
             "Compare TTFT (provider queueing) with total time (long outputs).",
             "Check the provider's status and the network path."],
            ["Switch slow traffic to a faster or fallback model.",
             "Cap output tokens; trim context."]),
        ["LLMLatencyBudgetBurnSlow"] = new(
            "the share of calls slower than 5 s (`llm:latency_slow_ratio:rate1d` and `rate2h`, or `rate3d` and `rate6h`) against 3 or 1 times the 5% error budget of the latency SLO (95% under 5 s)",
            ["Look for growing prompts or outputs: `rate(llm_tokens_total[1h])` by token_type.",
             "Find the features whose calls got slower: `sum by (endpoint) (rate(llm_request_duration_seconds_sum[1h])) / sum by (endpoint) (rate(llm_request_duration_seconds_count[1h]))`."],
            ["Move long-running features to a faster model or streaming.",
             "Shorten system prompts and retrieved context."]),
    };

    /// <summary>The runbook of <paramref name="rule"/>, in Markdown.</summary>
    public static string Write(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (!ByRule.TryGetValue(rule.Name, out var specifics))
        {
            throw new ArgumentException($"No runbook text for rule {rule.Name}.", nameof(rule));
        }

        var severity = rule.Severity.ToLabel();
        var priority = rule.Severity.ToPriority();
        var threshold = rule.Threshold.ToString(CultureInfo.InvariantCulture);
        var builder = new StringBuilder()
            .Append("<!-- Generated by `vigil rules` from src/Vigil/Alerting. Do not edit: change the catalog and run `vigil rules`. -->\n")
            .Append("# ").Append(rule.Name).Append("\n\n")
            .Append(rule.Summary).Append(".\n\n")
            .Append("| | |\n|---|---|\n")
            .Append("| severity | `").Append(severity).Append("` (").Append(priority).Append(", respond within ").Append(ResponseTime(rule.Severity)).Append(") |\n")
            .Append("| group | `").Append(rule.Group).Append("` |\n")
            .Append("| signal | ").Append(specifics.Signal).Append(" |\n")
            .Append("| threshold | ").Append(threshold).Append(" |\n")
            .Append("| for | ").Append(YamlText.Duration(rule.For)).Append(" |\n\n")
            .Append("```promql\n").Append(rule.Expression).Append("\n```\n\n");
        if (specifics.Correction is { } correction)
        {
            builder.Append("## Why this rule differs from the seed\n\n").Append(correction).Append("\n\n");
        }

        builder.Append("## Severity criteria\n\n")
            .Append("- P0 (critical): success rate < 90% or hallucination rate > 20%, or the safety filter fails.\n")
            .Append("- P1 (high): success rate < 95%, hallucination rate > 10%, or P99 latency > 30 s.\n")
            .Append("- P2 (warning): quality drift Z-score > 2.0, satisfaction < 70%, or cost above 80% of budget.\n")
            .Append("- P3 (info): embedding drift, cache hit rate falling.\n\n")
            .Append("This alert fires as `").Append(severity).Append("`; raise the incident's priority when the numbers above say so.\n\n")
            .Append("## First 15 minutes\n\n")
            .Append("1. Acknowledge the alert; confirm the anomaly on the Grafana dashboard (or `vigil report`).\n")
            .Append("2. Scope it: all traffic, or one feature or model? Break the signal down `by (model)` and `by (feature)`.\n")
            .Append("3. If P0/P1: enable degradation (`PUT /v1/incident` with `fallback_model`, or `static_response`), notify the on-call team and the product owner, and open a thread in Slack #incidents.\n\n")
            .Append("## Diagnosis (15-60 minutes)\n\n");
        AppendList(builder, specifics.Diagnosis);
        builder.Append("\n## Fixes\n\n");
        AppendList(builder, specifics.Fixes);
        builder.Append("\nThen verify: run the evaluation pipeline and watch the signal return below the threshold before handing the mode back (`PUT /v1/incident` with `{\"mode\": null}`).\n\n")
            .Append("## Follow-up\n\n")
            .Append("1. Write the postmortem.\n")
            .Append("2. Review this rule's threshold and `for` (change them in `src/Vigil/Alerting/AlertRuleCatalog.cs`, then `vigil rules`).\n")
            .Append("3. Add a regression test case.\n")
            .Append("4. Update this runbook.\n");
        return builder.ToString();
    }

    private static void AppendList(StringBuilder builder, IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            builder.Append("- ").Append(item).Append('\n');
        }
    }

    private static string ResponseTime(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => "5 minutes",
        AlertSeverity.High => "15 minutes",
        AlertSeverity.Warning => "1 hour",
        _ => "24 hours",
    };
}
