namespace Vigil.Embeddings;

/// <summary>
/// The local embedding model could not be loaded: typically ONNX Runtime's native library is missing for this
/// platform, or the model resource is damaged. The message says which; <see cref="Exception.InnerException"/> has the cause.
/// </summary>
public sealed class EmbeddingModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EmbeddingModelLoadException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public EmbeddingModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public EmbeddingModelLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
