using Microsoft.Extensions.AI;

namespace Vigil.Tests.Infrastructure;

/// <summary>What the caller got from one call, streamed or not.</summary>
/// <param name="Text">The reply's text.</param>
/// <param name="ResponseId">The provider's response id.</param>
/// <param name="Updates">The streamed updates; empty for a non-streaming call.</param>
public sealed record ChatOutcome(string Text, string? ResponseId, IReadOnlyList<ChatResponseUpdate> Updates);
