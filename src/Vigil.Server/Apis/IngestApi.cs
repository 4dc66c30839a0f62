using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Vigil.Server.Content;
using Vigil.Server.Hosting;
using Vigil.Server.Ingest;
using Vigil.Signals;

namespace Vigil.Server.Apis;

/// <summary>
/// <c>POST /v1/interactions</c> and <c>POST /v1/feedback</c>, each with an optional <c>Idempotency-Key</c> header
/// (<see cref="IdempotencyKeyHeader"/>).
/// </summary>
internal static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder group)
    {
        group.MapPost("/interactions", PostInteractionsAsync);
        group.MapPost("/feedback", PostFeedbackAsync);
        return group;
    }

    private static async Task<Results<Accepted<AcceptedBody>, ProblemHttpResult>> PostInteractionsAsync(
        HttpRequest request, IOptions<VigilServerOptions> serverOptions, IngestWriter writer, SignalPipeline pipeline, ContentRedactor redactor, CancellationToken cancellationToken)
    {
        var options = serverOptions.Value;
        if (!IdempotencyKeyHeader.TryRead(request, out var key, out var badKey))
        {
            return badKey!;
        }

        using var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than {options.MaxBodyBytes} bytes.");
        }

        var parsed = BodyParser.Interactions(body.Span, options.MaxBatch);
        if (parsed.IsUnusable)
        {
            return Problems.BadRequest("Unusable body", parsed.BodyError!, [new RecordError(null, parsed.BodyErrorField, parsed.BodyError!)]);
        }

        var records = parsed.Records.ConvertAll(r => redactor.Apply(pipeline.Normalizer.Normalize(r)));
        if (records.Count > 0 && await writer.WriteAsync(records, key, cancellationToken).ConfigureAwait(false) is { } remembered)
        {
            return Repeated(remembered);
        }

        return Answer(parsed.Errors, records.Count, parsed.IsBatch, "interaction");
    }

    private static async Task<Results<Accepted<AcceptedBody>, ProblemHttpResult>> PostFeedbackAsync(
        HttpRequest request, IOptions<VigilServerOptions> serverOptions, IngestWriter writer, ContentRedactor redactor, TimeProvider time, CancellationToken cancellationToken)
    {
        var options = serverOptions.Value;
        if (!IdempotencyKeyHeader.TryRead(request, out var key, out var badKey))
        {
            return badKey!;
        }

        using var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than {options.MaxBodyBytes} bytes.");
        }

        var parsed = BodyParser.Feedback(body.Span, options.MaxBatch);
        if (parsed.IsUnusable)
        {
            return Problems.BadRequest("Unusable body", parsed.BodyError!, [new RecordError(null, parsed.BodyErrorField, parsed.BodyError!)]);
        }

        var now = time.GetUtcNow();
        var records = parsed.Records.ConvertAll(r => redactor.Apply(r.Timestamp is null ? r with { Timestamp = now } : r));
        if (records.Count > 0 && await writer.WriteAsync(records, key, cancellationToken).ConfigureAwait(false) is { } remembered)
        {
            return Repeated(remembered);
        }

        return Answer(parsed.Errors, records.Count, parsed.IsBatch, "feedback");
    }

    // A repeat of a request whose Idempotency-Key was seen: the first answer's count, nothing stored.
    private static Accepted<AcceptedBody> Repeated(int accepted) => TypedResults.Accepted((string?)null, new AcceptedBody(accepted));

    private static Results<Accepted<AcceptedBody>, ProblemHttpResult> Answer(List<RecordError> errors, int accepted, bool isBatch, string what)
    {
        if (errors.Count == 0)
        {
            return TypedResults.Accepted((string?)null, new AcceptedBody(accepted));
        }

        var fields = string.Join("; ", errors.Take(10).Select(e => e.Index is { } i ? $"[{i}].{e.Field}: {e.Message}" : $"{e.Field}: {e.Message}"));
        var detail = isBatch
            ? $"{errors.Select(e => e.Index).Distinct().Count()} {what} record(s) rejected, {accepted} stored. {fields}"
            : $"The {what} record was rejected. {fields}";
        return Problems.BadRequest($"Invalid {what} record", detail, errors, accepted);
    }
}
