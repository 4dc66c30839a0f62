using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Vigil.Drift;

/// <summary>Vectorised distances and dot products over rows of doubles.</summary>
internal static class Pairwise
{
    /// <summary>‖a − b‖², summed with <see cref="Vector{T}"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && length >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..length]);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..length]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                var d0 = va[v] - vb[v];
                var d1 = va[v + 1] - vb[v + 1];
                acc0 += d0 * d0;
                acc1 += d1 * d1;
            }

            if (v < va.Length)
            {
                var d0 = va[v] - vb[v];
                acc0 += d0 * d0;
            }

            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < length; i++)
        {
            var d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>a · b, summed with <see cref="Vector{T}"/> lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var length = Math.Min(a.Length, b.Length);
        var i = 0;
        var sum = 0.0;
        if (Vector.IsHardwareAccelerated && length >= 2 * Vector<double>.Count)
        {
            var va = MemoryMarshal.Cast<double, Vector<double>>(a[..length]);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b[..length]);
            var acc0 = Vector<double>.Zero;
            var acc1 = Vector<double>.Zero;
            var v = 0;
            for (; v + 1 < va.Length; v += 2)
            {
                acc0 += va[v] * vb[v];
                acc1 += va[v + 1] * vb[v + 1];
            }

            if (v < va.Length)
            {
                acc0 += va[v] * vb[v];
            }

            sum = Vector.Sum(acc0 + acc1);
            i = va.Length * Vector<double>.Count;
        }

        for (; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>The full symmetric matrix of squared distances between the <paramref name="count"/> rows of <paramref name="rows"/>.</summary>
    public static double[] SquaredDistanceMatrix(double[] rows, int count, int dimensions)
    {
        var matrix = new double[(long)count * count];
        var work = (long)count * count * dimensions;
        if (work < 4_000_000)
        {
            for (var i = 0; i < count; i++)
            {
                FillRow(rows, matrix, i, count, dimensions);
            }
        }
        else
        {
            Parallel.For(0, count, i => FillRow(rows, matrix, i, count, dimensions));
        }

        return matrix;
    }

    private static void FillRow(double[] rows, double[] matrix, int i, int count, int dimensions)
    {
        var a = rows.AsSpan(i * dimensions, dimensions);
        for (var j = i + 1; j < count; j++)
        {
            var d = SquaredDistance(a, rows.AsSpan(j * dimensions, dimensions));
            matrix[((long)i * count) + j] = d;
            matrix[((long)j * count) + i] = d;
        }
    }
}
