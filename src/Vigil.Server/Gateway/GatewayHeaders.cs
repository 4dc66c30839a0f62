namespace Vigil.Server.Gateway;

/// <summary>The optional headers that label a gateway call; none of them goes upstream.</summary>
internal static class GatewayHeaders
{
    public const string Feature = "X-Vigil-Feature";
    public const string UserTier = "X-Vigil-User-Tier";
    public const string UserId = "X-Vigil-User-Id";
    public const string TraceId = "X-Vigil-Trace-Id";

    /// <summary>A gateway key, when the caller's <c>Authorization</c> carries its own provider key.</summary>
    public const string GatewayKey = "X-Vigil-Gateway-Key";

    public static readonly string[] All = [Feature, UserTier, UserId, TraceId, GatewayKey];
}
