namespace Vigil.Server.Storage;

/// <summary>The endpoint an <see cref="IdempotencyKey"/> belongs to: the same key on the other endpoint is another key.</summary>
public enum IdempotencyScope
{
    /// <summary><c>POST /v1/interactions</c>.</summary>
    Interactions,

    /// <summary><c>POST /v1/feedback</c>.</summary>
    Feedback,
}
