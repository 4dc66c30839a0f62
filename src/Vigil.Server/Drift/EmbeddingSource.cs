namespace Vigil.Server.Drift;

/// <summary>Where the watch's vectors come from; one source a watch, so that two embedding spaces never mix.</summary>
internal enum EmbeddingSource
{
    /// <summary>The records' own <c>embedding</c>.</summary>
    Records,

    /// <summary>The local model, from the records' <c>query</c>.</summary>
    LocalModel,
}
