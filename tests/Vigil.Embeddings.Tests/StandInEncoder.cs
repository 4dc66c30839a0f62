using SentenceTransformers;

namespace Vigil.Embeddings.Tests;

/// <summary>
/// A sentence encoder without a model: the vector of a text is a unit vector made from its length, and a run can be
/// held until the test lets it go (or its token is cancelled, as ONNX Runtime's terminate flag would stop it).
/// </summary>
internal sealed class StandInEncoder : ISentenceEncoder, IDisposable
{
    private readonly SemaphoreSlim _release = new(0);

    public List<string[]> Batches { get; } = [];

    public bool Hold { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Disposed { get; private set; }

    public float[][] Encode(string[] sentences, CancellationToken cancellationToken = default)
    {
        lock (Batches)
        {
            Batches.Add([.. sentences]);
        }

        Started.TrySetResult();
        if (Hold)
        {
            _release.Wait(cancellationToken);
        }

        return [.. sentences.Select(VectorOf)];
    }

    public void Release() => _release.Release();

    public void Dispose() => Disposed = true;

    public static float[] VectorOf(string text)
    {
        var vector = new float[MiniLmEmbeddingGenerator.Dimensions];
        vector[text.Length % vector.Length] = 1;
        return vector;
    }
}
