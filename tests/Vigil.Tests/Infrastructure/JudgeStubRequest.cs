namespace Vigil.Tests.Infrastructure;

/// <summary>One request the judge stub received.</summary>
/// <param name="Number">1 for the first request to the stub, 2 for the next, …</param>
/// <param name="Model">The model asked for.</param>
/// <param name="Prompt">The text of the messages.</param>
/// <param name="Authorization">The Authorization header, if any.</param>
/// <param name="JsonAsked">True when the request asked for response_format json_object.</param>
/// <param name="Temperature">The temperature asked for, if any.</param>
public sealed record JudgeStubRequest(int Number, string Model, string Prompt, string? Authorization, bool JsonAsked, double? Temperature);
