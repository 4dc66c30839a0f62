namespace Vigil.Server.Ingest;

/// <summary>One rejected field of a posted record; <see cref="Index"/> is its place in a batch (null for a single record).</summary>
public sealed record RecordError(int? Index, string Field, string Message);
