namespace Vigil.Cli.Tests.EndToEnd;

/// <summary>
/// Every PromQL query of the seed (the handbook chapter, shared/seed/000_ba0371cbf18f0a62.txt), copied verbatim — the
/// chapter's text is flattened to one line per code block, so a query's line breaks are spaces here as there. They
/// must work unmodified against Vigil's exposition.
/// </summary>
public static class SeedPromQl
{
    /// <summary>The queries that read a figure: each returns data while the demo runs.</summary>
    public static IReadOnlyList<NamedQuery> Queries { get; } =
    [
        // Section 3 (延迟百分位监控), "以下是用于 Grafana 仪表板的关键 PromQL 查询": the block after latency_tracker.py.
        new("latency block: P50 延迟(中位数)", "histogram_quantile(0.50, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le, model) )"),
        new("latency block: P95 延迟", "histogram_quantile(0.95, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le, model) )"),
        new("latency block: P99 延迟", "histogram_quantile(0.99, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le, model) )"),
        new("latency block: TTFT P95", "histogram_quantile(0.95, sum(rate(llm_time_to_first_token_seconds_bucket[5m])) by (le, model) )"),
        new("latency block: 延迟 SLO 违规率", "1 - ( sum(rate(llm_request_duration_seconds_bucket{le=\"5.0\"}[5m])) / sum(rate(llm_request_duration_seconds_count[5m])) )"),
        new("latency block: 按模型的请求速率", "sum(rate(llm_request_duration_seconds_count[5m])) by (model)"),

        // Section 4 (每次交互成本追踪), "步骤 2:成本告警 PromQL 规则": the block after cost_tracker.py.
        new("cost rules: 每次交互平均成本(5 分钟窗口)", "sum(rate(llm_cost_dollars_total[5m])) / sum(rate(llm_requests_total{status=\"success\"}[5m]))"),
        new("cost rules: 按功能的成本分布", "sum(rate(llm_cost_dollars_total[1h])) by (feature) * 3600"),
        new("cost rules: 月度预算消耗速率", "sum(increase(llm_cost_dollars_total[24h])) * 30"),
        new("cost rules: 缓存节省率", "sum(rate(llm_cache_hits_total[1h])) / (sum(rate(llm_cache_hits_total[1h])) + sum(rate(llm_cache_misses_total[1h])))"),

        // Section 7 (告警体系搭建), "步骤 2:Grafana 仪表板配置": each panel's target expr of the dashboard JSON.
        new("Grafana JSON: 🟢 API 成功率(5 分钟窗口)", "sum(rate(llm_requests_total{status='success'}[5m])) / sum(rate(llm_requests_total[5m])) * 100"),
        new("Grafana JSON: ⏱ 延迟百分位 P50", "histogram_quantile(0.50, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le))"),
        new("Grafana JSON: ⏱ 延迟百分位 P95", "histogram_quantile(0.95, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le))"),
        new("Grafana JSON: ⏱ 延迟百分位 P99", "histogram_quantile(0.99, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le))"),
        new("Grafana JSON: 💰 每小时成本", "sum(increase(llm_cost_dollars_total[1h])) by (model)"),
        new("Grafana JSON: 👍 用户满意度趋势", "sum(rate(user_feedback_total{feedback_type='thumbs_up'}[1h])) / (sum(rate(user_feedback_total{feedback_type='thumbs_up'}[1h])) + sum(rate(user_feedback_total{feedback_type='thumbs_down'}[1h]))) * 100"),
        new("Grafana JSON: 🔍 漂移检测", "max(llm_drift_score)"),
        new("Grafana JSON: 🎯 幻觉率", "sum(rate(llm_hallucination_detected_total[1h])) / sum(rate(llm_requests_total{status='success'}[1h])) * 100"),
        new("Grafana JSON: 📊 错误分类分布", "sum(increase(llm_errors_total[24h])) by (error_type)"),
        new("Grafana JSON: 💾 缓存命中率", "sum(rate(llm_cache_hits_total[1h])) / (sum(rate(llm_cache_hits_total[1h])) + sum(rate(llm_cache_misses_total[1h]))) * 100"),
    ];

    /// <summary>
    /// The conditions with a comparison: they return data only while what they watch is wrong (an alert firing), so
    /// each must parse; the success-rate one must also hold while the shipped rule fires.
    /// </summary>
    public static IReadOnlyList<NamedQuery> AlertExpressions { get; } =
    [
        // Section 7 (告警体系搭建), "步骤 1:Prometheus 告警规则配置" (prometheus/rules/llm_alerts.yml): each rule's expr.
        new("LLMSuccessRateCritical", "( sum(rate(llm_requests_total{status=\"success\"}[5m])) / sum(rate(llm_requests_total[5m])) ) < 0.95"),
        new("LLMRateLimitHigh", "sum(rate(llm_errors_total{error_type=\"rate_limit\"}[5m])) > 10"),
        new("LLMP99LatencyHigh", "histogram_quantile(0.99, sum(rate(llm_request_duration_seconds_bucket[5m])) by (le) ) > 15"),
        new("LLMTTFTHigh", "histogram_quantile(0.95, sum(rate(llm_time_to_first_token_seconds_bucket[5m])) by (le) ) > 2"),
        new("LLMBudgetWarning", "sum(increase(llm_cost_dollars_total[24h])) * 30 > 5000 * 0.8"),
        new("LLMCostSpike", "sum(increase(llm_cost_dollars_total[1h])) > 2 * avg_over_time( sum(increase(llm_cost_dollars_total[1h]))[7d:1h] )"),
        new("LLMHallucinationRateHigh", "sum(rate(llm_hallucination_detected_total[1h])) / sum(rate(llm_requests_total{status=\"success\"}[1h])) > 0.10"),
        new("LLMQualityDrift", "llm_drift_score{drift_type=~\"quality_.*\"} > 2.0"),
        new("LLMSatisfactionLow", "( sum(rate(user_feedback_total{feedback_type=\"thumbs_up\"}[24h])) / ( sum(rate(user_feedback_total{feedback_type=\"thumbs_up\"}[24h])) + sum(rate(user_feedback_total{feedback_type=\"thumbs_down\"}[24h])) ) ) < 0.80"),
        new("EmbeddingDriftDetected", "embedding_drift_distance{metric=\"cosine\"} > 0.05"),

        // Section 4, "步骤 2:成本告警 PromQL 规则": the cost anomaly check (当前小时成本 > 过去 7 天同时段均值的 2 倍).
        new("cost rules: 成本异常检测", "sum(increase(llm_cost_dollars_total[1h])) > 2 * avg_over_time( sum(increase(llm_cost_dollars_total[1h]))[7d:1h] )"),
    ];
}
