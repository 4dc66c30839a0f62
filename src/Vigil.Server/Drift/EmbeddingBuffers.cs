using Vigil.Drift;

namespace Vigil.Server.Drift;

/// <summary>
/// The reference and current sets of the watch, in fixed memory: the first <c>N</c> vectors (then frozen) or a pinned
/// set, and a ring of the most recent <c>M</c>. The first vector fixes the dimension; others are refused. Not
/// thread-safe (the watch locks around it).
/// </summary>
internal sealed class EmbeddingBuffers
{
    private readonly int _referenceSize;
    private readonly int _currentSize;
    private float[]? _reference;
    private float[]? _ring;
    private int _next;
    private EmbeddingSet? _referenceSet;

    /// <summary>Buffers for a reference of <paramref name="referenceSize"/> vectors (or <paramref name="pinned"/>) and a current set of <paramref name="currentSize"/>.</summary>
    public EmbeddingBuffers(int referenceSize, int currentSize, EmbeddingSet? pinned)
    {
        _currentSize = currentSize;
        _referenceSet = pinned;
        _referenceSize = pinned?.Count ?? referenceSize;
        Dimensions = pinned?.Dimensions ?? 0;
        ReferenceCount = pinned?.Count ?? 0;
    }

    /// <summary>The dimension of every vector; 0 until the first.</summary>
    public int Dimensions { get; private set; }

    /// <summary>Vectors in the reference.</summary>
    public int ReferenceCount { get; private set; }

    /// <summary>The reference's size when full.</summary>
    public int ReferenceSize => _referenceSize;

    /// <summary>Vectors in the current set.</summary>
    public int CurrentCount { get; private set; }

    /// <summary>The current set's size when full.</summary>
    public int CurrentSize => _currentSize;

    /// <summary>True once the reference is frozen.</summary>
    public bool ReferenceFull => ReferenceCount == _referenceSize;

    /// <summary>True when both sets are full.</summary>
    public bool Ready => ReferenceFull && CurrentCount == _currentSize;

    /// <summary>Vectors added so far (the pinned reference's not counted): bumped by every one.</summary>
    public long Version { get; private set; }

    /// <summary>Adds a vector to the reference until it is full, then to the current set; false when its dimension is not the buffers'.</summary>
    public bool TryAdd(ReadOnlySpan<float> vector)
    {
        if (vector.IsEmpty || (Dimensions != 0 && vector.Length != Dimensions))
        {
            return false;
        }

        Dimensions = vector.Length;
        if (!ReferenceFull)
        {
            _reference ??= new float[_referenceSize * Dimensions];
            vector.CopyTo(_reference.AsSpan(ReferenceCount * Dimensions));
            ReferenceCount++;
        }
        else
        {
            _ring ??= new float[_currentSize * Dimensions];
            vector.CopyTo(_ring.AsSpan(_next * Dimensions));
            _next = (_next + 1) % _currentSize;
            CurrentCount = Math.Min(CurrentCount + 1, _currentSize);
        }

        Version++;
        return true;
    }

    /// <summary>The frozen reference (made once).</summary>
    public EmbeddingSet ReferenceSet()
    {
        if (!ReferenceFull)
        {
            throw new InvalidOperationException("The reference is not full yet.");
        }

        if (_referenceSet is null)
        {
            _referenceSet = new EmbeddingSet(Widen(_reference!, 0, ReferenceCount * Dimensions), Dimensions);
            _reference = null;
        }

        return _referenceSet;
    }

    /// <summary>A copy of the current set, oldest first.</summary>
    public EmbeddingSet CurrentSet()
    {
        if (CurrentCount == 0)
        {
            throw new InvalidOperationException("The current set is empty.");
        }

        var values = new double[CurrentCount * Dimensions];
        var oldest = CurrentCount < _currentSize ? 0 : _next;
        for (var i = 0; i < CurrentCount; i++)
        {
            var row = _ring.AsSpan(((oldest + i) % _currentSize) * Dimensions, Dimensions);
            var target = values.AsSpan(i * Dimensions, Dimensions);
            for (var d = 0; d < row.Length; d++)
            {
                target[d] = row[d];
            }
        }

        return new EmbeddingSet(values, Dimensions);
    }

    private static double[] Widen(float[] source, int start, int length)
    {
        var values = new double[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = source[start + i];
        }

        return values;
    }
}
