namespace Vigil.Server.Apis;

/// <summary>The body of a 202: how many records were stored.</summary>
public sealed record AcceptedBody(int Accepted);
