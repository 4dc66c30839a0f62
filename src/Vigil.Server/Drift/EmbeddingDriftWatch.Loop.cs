using Microsoft.Extensions.AI;
using Vigil.Drift;
using Vigil.Embeddings;

namespace Vigil.Server.Drift;

// The loop: every interval, the queued texts embedded by the local model, then the detectors over the sets.
public sealed partial class EmbeddingDriftWatch
{
    /// <summary>Runs one round now: embeds the queued texts, then the detectors if the sets are full and changed.</summary>
    internal async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await EmbedQueuedAsync(cancellationToken).ConfigureAwait(false);
        Analyze();
    }

    private async Task LoopAsync(bool runNow, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            // After a restore the first round runs at once, so a restart gives figures without waiting an interval.
            while (runNow || await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                runNow = false;
                try
                {
                    await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
#pragma warning disable CA1031 // A failed round is logged; the next one tries again.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogRoundFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task EmbedQueuedAsync(CancellationToken cancellationToken)
    {
        string[] reference, current;
        lock (_gate)
        {
            reference = [.. _referenceTexts];
            current = [.. _currentTexts];
            _referenceTexts.Clear();
            _currentTexts.Clear();
            _inFlightReference += reference.Length;
        }

        if (reference.Length + current.Length == 0)
        {
            return;
        }

        GeneratedEmbeddings<Embedding<float>>? embeddings = null;
        try
        {
            embeddings = await LocalModel().GenerateAsync([.. reference, .. current], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (EmbeddingModelLoadException ex)
        {
            LogModelUnavailable(_logger, ex);
            lock (_gate)
            {
                _modelError = ex.Message;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogEmbeddingFailed(_logger, reference.Length + current.Length, ex);
        }
        finally
        {
            lock (_gate)
            {
                _inFlightReference -= reference.Length;
                if (embeddings is null)
                {
                    Drop("model_unavailable", reference.Length + current.Length);
                }
                else
                {
                    foreach (var embedding in embeddings)
                    {
                        AddVector(embedding.Vector.Span);
                    }
                }
            }
        }
    }

    private IEmbeddingGenerator<string, Embedding<float>> LocalModel()
    {
        lock (_gate)
        {
            if (_modelError is not null)
            {
                throw new EmbeddingModelLoadException(_modelError);
            }
        }

        // Loaded here, on the loop, the first time a text waits: a few seconds, never on the ingest path.
        var model = _localModel ?? _createLocalModel!();
        lock (_gate)
        {
            _localModel = model;
        }

        return model;
    }

    private void Analyze()
    {
        EmbeddingSet reference, current;
        long version;
        EmbeddingSource? source;
        lock (_gate)
        {
            if (!_buffers.Ready || _buffers.Version == _analyzedVersion)
            {
                return;
            }

            reference = _buffers.ReferenceSet();
            current = _buffers.CurrentSet();
            version = _buffers.Version;
            source = _source;
        }

        var report = EmbeddingDriftAnalyzer.Analyze(reference, current, _methods, _test);
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        if (report.Cosine is { } cosine)
        {
            scores["cosine"] = EmbeddingDriftScore.Of(cosine, _test);
        }

        if (report.Euclidean is { } euclidean)
        {
            scores["euclidean"] = EmbeddingDriftScore.Of(euclidean, _test);
        }

        if (report.Mmd is { } mmd)
        {
            scores["mmd"] = EmbeddingDriftScore.Of(mmd);
        }

        if (report.Ks is { } ks)
        {
            scores["ks"] = EmbeddingDriftScore.Of(ks);
        }

        var round = PublishRound(report, scores, reference.Count, current.Count, version, source);
        lock (_gate)
        {
            _analyzedVersion = version;
        }

        LogRound(_logger, round.Severity, round.Score, reference.Count, current.Count);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Embedding drift: {Severity} (score {Score:F2}), {ReferenceCount} reference and {CurrentCount} current vectors.")]
    private static partial void LogRound(ILogger logger, DriftSeverity severity, double score, int referenceCount, int currentCount);

    [LoggerMessage(Level = LogLevel.Error, Message = "An embedding drift round failed; the next one tries again.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The local embedding model could not be loaded; embedding drift from query text is off.")]
    private static partial void LogModelUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding {Count} queued texts failed; they are dropped.")]
    private static partial void LogEmbeddingFailed(ILogger logger, int count, Exception exception);
}
