using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Metrics;
using Vigil.Records;
using Vigil.Reports;
using Vigil.Server.Ingest;
using Vigil.Server.Storage;
using Vigil.Signals;

namespace Vigil.Server.Apis;

/// <summary><c>GET /v1/report</c>, <c>GET /v1/interactions/{trace_id}</c> and <c>GET /metrics</c>.</summary>
internal static class ReadApi
{
    private static readonly JsonSerializerOptions RelaxedJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static RouteGroupBuilder MapReadApi(this RouteGroupBuilder group)
    {
        group.MapGet("/report", GetReportAsync);
        group.MapGet("/interactions/{traceId}", GetInteractionAsync);
        return group;
    }

    public static IEndpointConventionBuilder MapMetrics(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/metrics", async (PrometheusTextExporter exporter, IngestWriter writer, CancellationToken cancellationToken) =>
        {
            await writer.SettleAsync(cancellationToken).ConfigureAwait(false);
            return TypedResults.Text(exporter.Scrape(), "text/plain; version=0.0.4; charset=utf-8");
        });

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetReportAsync(
        string? from, string? to, SignalPipeline pipeline, IngestWriter writer, ReportContributors watches, IVigilStore store, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (from is null && to is null)
        {
            await writer.SettleAsync(cancellationToken).ConfigureAwait(false);
            return Json(watches.AddTo(pipeline.ReportWindow()));
        }

        if (!QueryTime.TryParse(from, out var fromTime))
        {
            return Problems.BadRequest("Invalid query", $"'from' is not an RFC 3339 time: '{from}'.", [new(null, "from", "must be an RFC 3339 time, e.g. 2026-11-28T10:00:00Z")]);
        }

        if (!QueryTime.TryParse(to, out var toTime))
        {
            return Problems.BadRequest("Invalid query", $"'to' is not an RFC 3339 time: '{to}'.", [new(null, "to", "must be an RFC 3339 time, e.g. 2026-11-28T10:00:00Z")]);
        }

        var end = toTime ?? time.GetUtcNow();
        var start = fromTime ?? end - pipeline.Window.Length;
        if (start >= end)
        {
            return Problems.BadRequest("Invalid query", "'from' must be before 'to'.", [new(null, "from", "must be before 'to'")]);
        }

        var aggregate = new SignalAggregate();
        await StoreScan.ForEachAsync(store, start, end, r => aggregate.Add(r), f => aggregate.Add(f), e => aggregate.Add(e), cancellationToken)
            .ConfigureAwait(false);
        return Json(watches.AddTo(pipeline.Build(aggregate, new ReportWindow(start, end))));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetInteractionAsync(
        string traceId, IVigilStore store, CancellationToken cancellationToken)
    {
        var interaction = await store.GetInteractionAsync(traceId, cancellationToken).ConfigureAwait(false);
        var feedback = await store.GetFeedbackForTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        if (interaction is null)
        {
            var note = feedback.Count > 0 ? $" ({feedback.Count} feedback record(s) name it and wait for it)" : string.Empty;
            return Problems.Status(StatusCodes.Status404NotFound, "Interaction not found", $"No interaction has trace_id '{traceId}'{note}.");
        }

        var evaluations = await store.GetEvaluationsForTraceAsync(traceId, cancellationToken).ConfigureAwait(false);
        var body = new JsonObject
        {
            ["interaction"] = JsonSerializer.SerializeToNode(interaction, VigilJsonContext.Default.InteractionRecord),
            ["feedback"] = JsonSerializer.SerializeToNode(feedback.ToList(), VigilJsonContext.Default.ListFeedbackRecord),
            ["evaluations"] = JsonSerializer.SerializeToNode(evaluations.ToList(), VigilJsonContext.Default.ListEvaluationRecord),
        };
        return TypedResults.Text(body.ToJsonString(RelaxedJson), "application/json; charset=utf-8");
    }

    private static ContentHttpResult Json(HealthReport report) =>
        TypedResults.Text(JsonSerializer.Serialize(report, ReportJsonContext.Default.HealthReport), "application/json; charset=utf-8");
}
