using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Incidents;
using Vigil.Server.Ingest;
using Vigil.Server.Storage.Incidents;

namespace Vigil.Server.Apis;

/// <summary><c>GET /v1/incident</c>, <c>PUT /v1/incident</c> (admin) and <c>GET /v1/incidents</c>.</summary>
internal static class IncidentApi
{
    /// <summary>Entries <c>GET /v1/incidents</c> gives at most (the latest in the range), unless <c>limit</c> asks for fewer.</summary>
    public const int MaxEntries = 1000;

    public static RouteGroupBuilder MapIncidentReadApi(this RouteGroupBuilder group)
    {
        group.MapGet("/incident", (IncidentResponder responder) => Json(State(responder.State)));
        group.MapGet("/incidents", GetLogAsync);
        return group;
    }

    public static RouteGroupBuilder MapIncidentAdminApi(this RouteGroupBuilder group)
    {
        group.MapPut("/incident", PutAsync);
        return group;
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PutAsync(
        HttpRequest request, IncidentResponder responder, IncidentLogWriter writer, CancellationToken cancellationToken)
    {
        if (!IsJson(request.ContentType))
        {
            return Invalid("body", "must be application/json, e.g. {\"mode\": \"fallback_model\", \"reason\": \"provider outage\"}");
        }

        using var body = await RequestBody.ReadAsync(request, 64 * 1024, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", "The body is larger than 64 KiB.");
        }

        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body.Span.ToArray()) as JsonObject;
        }
        catch (JsonException)
        {
            json = null;
        }

        if (json is null)
        {
            return Invalid("body", "must be a JSON object, e.g. {\"mode\": \"fallback_model\", \"reason\": \"provider outage\"}");
        }

        if (!json.TryGetPropertyValue("mode", out var modeNode))
        {
            return Invalid("mode", "is required: a mode (normal, cached_only, fallback_model, static_response, disabled), or null to hand back to the responder");
        }

        string? reason = null;
        if (json.TryGetPropertyValue("reason", out var reasonNode) && reasonNode is not null)
        {
            if (reasonNode.GetValueKind() != JsonValueKind.String)
            {
                return Invalid("reason", "must be a string");
            }

            reason = reasonNode.GetValue<string>();
            if (reason.Length > 1000)
            {
                return Invalid("reason", "must be at most 1000 characters");
            }
        }

        if (modeNode is null)
        {
            responder.Release(string.IsNullOrWhiteSpace(reason) ? null : reason.Trim());
        }
        else
        {
            if (modeNode.GetValueKind() != JsonValueKind.String || !IncidentLabels.TryParse(modeNode.GetValue<string>(), out var mode))
            {
                return Invalid("mode", "must be one of normal, cached_only, fallback_model, static_response, disabled, or null");
            }

            if (string.IsNullOrWhiteSpace(reason))
            {
                return Invalid("reason", "is required when setting a mode: say why, for the incident log");
            }

            responder.Override(mode, reason.Trim());
        }

        await writer.SettleAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return Json(State(responder.State));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetLogAsync(
        string? from, string? to, string? limit, IIncidentLogStore store, IncidentLogWriter writer, CancellationToken cancellationToken)
    {
        if (!QueryTime.TryParse(from, out var fromTime))
        {
            return Invalid("from", "must be an RFC 3339 time, e.g. 2026-11-28T10:00:00Z");
        }

        if (!QueryTime.TryParse(to, out var toTime))
        {
            return Invalid("to", "must be an RFC 3339 time, e.g. 2026-11-28T10:00:00Z");
        }

        if (fromTime is { } f && toTime is { } t && f >= t)
        {
            return Invalid("from", "must be before 'to'");
        }

        var count = MaxEntries;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxEntries))
        {
            return Invalid("limit", $"must be a whole number from 1 to {MaxEntries}");
        }

        await writer.SettleAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var entries = await store.ReadAsync(fromTime, toTime, count, cancellationToken).ConfigureAwait(false);
        var list = new JsonArray();
        foreach (var entry in entries)
        {
            list.Add(Entry(entry));
        }

        return Json(new JsonObject { ["incidents"] = list });
    }

    /// <summary>The contract's <c>GET /v1/incident</c> body.</summary>
    public static JsonObject State(IncidentState state) => new()
    {
        ["mode"] = IncidentLabels.Of(state.Mode),
        ["since"] = state.Since is { } since ? Time(since) : null,
        ["reason"] = state.Reason,
        ["manual"] = state.Manual,
    };

    /// <summary>One entry of <c>GET /v1/incidents</c>.</summary>
    public static JsonObject Entry(IncidentLogEntry entry) => new()
    {
        ["timestamp"] = Time(entry.Timestamp),
        ["action"] = IncidentLabels.Of(entry.Action),
        ["severity"] = entry.Severity is { } severity ? IncidentLabels.Of(severity) : null,
        ["mode"] = IncidentLabels.Of(entry.Mode),
        ["from_mode"] = IncidentLabels.Of(entry.FromMode),
        ["reason"] = entry.Reason,
    };

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static ContentHttpResult Json(JsonObject body) =>
        TypedResults.Text(body.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }),
            "application/json; charset=utf-8");

    private static ProblemHttpResult Invalid(string field, string message) =>
        Problems.BadRequest("Invalid request", $"'{field}' {message}.", [new RecordError(null, field, message)]);

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Split(';')[0].Trim() is var media
        && (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
}
