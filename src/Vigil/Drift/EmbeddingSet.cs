namespace Vigil.Drift;

/// <summary>A set of embedding vectors of one dimension, stored row-major in one array.</summary>
public sealed class EmbeddingSet
{
    private readonly double[] _values;

    /// <summary>Wraps <paramref name="values"/> (row-major, <paramref name="dimensions"/> a row) without copying.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of the dimension, or a value is not finite.</exception>
    public EmbeddingSet(double[] values, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        if (values.Length % dimensions != 0)
        {
            throw new ArgumentException($"{values.Length} values do not make rows of {dimensions}.", nameof(values));
        }

        foreach (var v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException("Embedding values must be finite numbers.", nameof(values));
            }
        }

        _values = values;
        Dimensions = dimensions;
        Count = values.Length / dimensions;
    }

    /// <summary>The number of vectors.</summary>
    public int Count { get; }

    /// <summary>The dimension of every vector.</summary>
    public int Dimensions { get; }

    /// <summary>All values, row-major.</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>The vector at <paramref name="index"/>.</summary>
    public ReadOnlySpan<double> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _values.AsSpan(index * Dimensions, Dimensions);
        }
    }

    /// <summary>Makes a set of <paramref name="rows"/>, which must all have the same, non-zero length.</summary>
    public static EmbeddingSet FromRows(IEnumerable<IReadOnlyList<double>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var values = new List<double>();
        var dimensions = -1;
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            if (dimensions < 0)
            {
                dimensions = row.Count;
            }
            else if (row.Count != dimensions)
            {
                throw new ArgumentException($"A row has {row.Count} dimensions; the first has {dimensions}.", nameof(rows));
            }

            values.AddRange(row);
        }

        if (dimensions <= 0)
        {
            throw new ArgumentException("There must be at least one non-empty row.", nameof(rows));
        }

        return new EmbeddingSet([.. values], dimensions);
    }

    /// <summary>The values of one dimension across the vectors, in order.</summary>
    public double[] Column(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dimension);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(dimension, Dimensions);
        var column = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            column[i] = _values[(i * Dimensions) + dimension];
        }

        return column;
    }

    /// <summary>The mean vector.</summary>
    public double[] Centroid()
    {
        var centroid = new double[Dimensions];
        for (var i = 0; i < Count; i++)
        {
            var row = _values.AsSpan(i * Dimensions, Dimensions);
            for (var d = 0; d < Dimensions; d++)
            {
                centroid[d] += row[d];
            }
        }

        for (var d = 0; d < Dimensions; d++)
        {
            centroid[d] /= Count;
        }

        return centroid;
    }

    /// <summary>A set of the vectors at <paramref name="indices"/>, in that order.</summary>
    internal EmbeddingSet Select(IReadOnlyList<int> indices)
    {
        var values = new double[indices.Count * Dimensions];
        for (var i = 0; i < indices.Count; i++)
        {
            _values.AsSpan(indices[i] * Dimensions, Dimensions).CopyTo(values.AsSpan(i * Dimensions));
        }

        return new EmbeddingSet(values, Dimensions);
    }
}
