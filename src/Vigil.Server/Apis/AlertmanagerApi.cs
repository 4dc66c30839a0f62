using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Alerting.Notifications;
using Vigil.Server.Hosting;

namespace Vigil.Server.Apis;

/// <summary>
/// <c>POST /v1/alertmanager</c>: Alertmanager's webhook (version 4), so that alerts a team's own Prometheus evaluates
/// drive Vigil's notifiers and show in its alerts. Mapped under the ingest key (Alertmanager sends
/// <c>Authorization: Bearer</c> through <c>http_config</c>). Answers 200 with <see cref="AlertmanagerReceipt"/>, or
/// 400 problem+json naming the field.
/// </summary>
internal static class AlertmanagerApi
{
    public static RouteGroupBuilder MapAlertmanagerApi(this RouteGroupBuilder group)
    {
        group.MapPost("/alertmanager", PostAsync);
        return group;
    }

    private static async Task<Results<Ok<AlertmanagerReceipt>, ProblemHttpResult>> PostAsync(
        HttpRequest request, IOptions<VigilServerOptions> serverOptions, AlertmanagerAlertBook book, TimeProvider time, CancellationToken cancellationToken)
    {
        var maxBytes = serverOptions.Value.MaxBodyBytes;
        using var body = await RequestBody.ReadAsync(request, maxBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than {maxBytes} bytes.");
        }

        var (alerts, errors) = AlertmanagerWebhookBody.Parse(body.Span, time.GetUtcNow());
        if (errors.Count > 0)
        {
            var fields = string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}"));
            return Problems.BadRequest("Invalid Alertmanager webhook body", $"The body was rejected; nothing of it was taken. {fields}", errors);
        }

        var notified = book.Receive(alerts);
        return TypedResults.Ok(new AlertmanagerReceipt(alerts.Count, notified));
    }
}
