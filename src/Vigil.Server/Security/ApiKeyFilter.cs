
namespace Vigil.Server.Security;

/// <summary>
/// An endpoint filter that lets a request in only with a key of its scope (401 without, 403 with the wrong scope). A 401
/// names the schemes it takes (<c>WWW-Authenticate</c>): Bearer for API clients, and Basic, so that a browser asks for
/// the key of the dashboard page (the key is the password; browsers pick Basic, the one of the two they support).
/// </summary>
internal sealed class ApiKeyFilter(ApiKeyAuthenticator authenticator, ApiKeyScope scope) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var name = scope switch
        {
            ApiKeyScope.Ingest => "ingest",
            ApiKeyScope.Read => "read",
            _ => "admin",
        };
        var outcome = authenticator.Check(context.HttpContext.Request, scope);
        if (outcome is AuthOutcome.Missing or AuthOutcome.Invalid)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = new(["Bearer realm=\"Vigil\"", "Basic realm=\"Vigil\""]);
        }

        return outcome switch
        {
            AuthOutcome.Allowed => next(context),
            AuthOutcome.WrongScope => ValueTask.FromResult<object?>(TypedResults.Problem(
                $"The API key does not have the '{name}' scope.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")),
            AuthOutcome.Missing => ValueTask.FromResult<object?>(Unauthorized($"An API key with the '{name}' scope is required: send 'Authorization: Bearer <key>'.")),
            _ => ValueTask.FromResult<object?>(Unauthorized("The API key is not valid.")),
        };
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
}
