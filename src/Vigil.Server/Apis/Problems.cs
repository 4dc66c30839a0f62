using Microsoft.AspNetCore.Http.HttpResults;
using Vigil.Server.Ingest;

namespace Vigil.Server.Apis;

/// <summary>The collector's problem+json answers (RFC 9457): every 4xx names what is wrong.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string title, string detail, IEnumerable<RecordError>? errors = null, int? accepted = null)
    {
        var extensions = new Dictionary<string, object?>();
        if (errors is not null)
        {
            extensions["errors"] = errors.Select(e => new Dictionary<string, object?>
            {
                ["index"] = e.Index,
                ["field"] = e.Field,
                ["message"] = e.Message,
            }).ToList();
        }

        if (accepted is not null)
        {
            extensions["accepted"] = accepted;
        }

        return TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title, extensions: extensions);
    }

    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
