using System.Globalization;
using Vigil.Server.Ingest;

namespace Vigil.Server.Apis;

/// <summary>
/// The optional <c>Idempotency-Key</c> request header of the ingest endpoints: 1 to <see cref="MaxLength"/> printable
/// ASCII characters, taken as sent. A repeat of a request with the same key on the same endpoint is answered with the
/// first answer's count and stores nothing.
/// </summary>
internal static class IdempotencyKeyHeader
{
    /// <summary>The header's name.</summary>
    public const string Name = "Idempotency-Key";

    /// <summary>The longest key.</summary>
    public const int MaxLength = 200;

    /// <summary>The request's key (null without the header), or the problem that names the header.</summary>
    public static bool TryRead(HttpRequest request, out string? key, out Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? problem)
    {
        key = null;
        problem = null;
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return true;
        }

        var value = values.Count == 1 ? values[0] ?? string.Empty : null;
        if (value is null)
        {
            problem = Invalid($"give one {Name} header, not {values.Count}");
            return false;
        }

        if (value.Length is 0 or > MaxLength || value.Any(c => c is < ' ' or > '~'))
        {
            problem = Invalid(string.Create(CultureInfo.InvariantCulture, $"must be 1 to {MaxLength} printable ASCII characters"));
            return false;
        }

        key = value;
        return true;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Invalid(string message) =>
        Problems.BadRequest($"Invalid {Name}", $"The {Name} header {message}; nothing was stored.", [new RecordError(null, Name, message)]);
}
