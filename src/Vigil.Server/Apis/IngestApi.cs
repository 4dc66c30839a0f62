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

    private static Task<Results<Accepted<AcceptedBody>, ProblemHttpResult>> PostInteractionsAsync(
        HttpRequest request, IOptions<VigilServerOptions> serverOptions, IngestWriter writer, SignalPipeline pipeline, ContentRedactor redactor, CancellationToken cancellationToken) =>
        IngestAsync(request, serverOptions.Value, BodyParser.Interactions, r => redactor.Apply(pipeline.Normalizer.Normalize(r)), writer.WriteAsync, "interaction", cancellationToken);

    private static Task<Results<Accepted<AcceptedBody>, ProblemHttpResult>> PostFeedbackAsync(
        HttpRequest request, IOptions<VigilServerOptions> serverOptions, IngestWriter writer, ContentRedactor redactor, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return IngestAsync(request, serverOptions.Value, BodyParser.Feedback, r => redactor.Apply(r.Timestamp is null ? r with { Timestamp = now } : r), writer.WriteAsync, "feedback", cancellationToken);
    }

    // The one ingest path: the Idempotency-Key, the body within its limit, each record parsed on its own, the good ones
    // prepared and written in one group commit (or the first answer of a repeated key), the bad ones named.
    private static async Task<Results<Accepted<AcceptedBody>, ProblemHttpResult>> IngestAsync<T>(
        HttpRequest request, VigilServerOptions options, ParseBody<T> parse, Func<T, T> prepare,
        Func<IReadOnlyList<T>, string?, CancellationToken, Task<int?>> write, string what, CancellationToken cancellationToken)
        where T : class
    {
        if (!IdempotencyKeyHeader.TryRead(request, out var key, out var badKey))
        {
            return badKey!;
        }

        ParsedBody<T> parsed;
        using (var body = await RequestBody.ReadAsync(request, options.MaxBodyBytes, cancellationToken).ConfigureAwait(false))
        {
            if (body is null)
            {
                return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than {options.MaxBodyBytes} bytes.");
            }

            parsed = parse(body.Span, options.MaxBatch);
        }

        if (parsed.IsUnusable)
        {
            return Problems.BadRequest("Unusable body", parsed.BodyError!, [new RecordError(null, parsed.BodyErrorField, parsed.BodyError!)]);
        }

        var records = parsed.Records.ConvertAll(r => prepare(r));
        if (records.Count > 0 && await write(records, key, cancellationToken).ConfigureAwait(false) is { } remembered)
        {
            return Repeated(remembered);
        }

        return Answer(parsed.Errors, records.Count, parsed.IsBatch, what);
    }

    private delegate ParsedBody<T> ParseBody<T>(ReadOnlySpan<byte> body, int maxBatch)
        where T : class;

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
