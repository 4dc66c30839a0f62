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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FillRow(double[] rows, double[] matrix, int i, int count, int dimensions)
    {
        var a = rows.AsSpan(i * dimensions, dimensions);
        var j = i + 1;
        if (Vector.IsHardwareAccelerated && dimensions >= Vector<double>.Count)
        {
            // Four rows at a time: each chunk of row i is loaded once for four distances.
            for (; j + 3 < count; j += 4)
            {
                var (d0, d1, d2, d3) = SquaredDistances4(a, rows, j, dimensions);
                Store(matrix, count, i, j, d0);
                Store(matrix, count, i, j + 1, d1);
                Store(matrix, count, i, j + 2, d2);
                Store(matrix, count, i, j + 3, d3);
            }
        }

        for (; j < count; j++)
        {
            Store(matrix, count, i, j, SquaredDistance(a, rows.AsSpan(j * dimensions, dimensions)));
        }
    }

    private static void Store(double[] matrix, int count, int i, int j, double value)
    {
        matrix[((long)i * count) + j] = value;
        matrix[((long)j * count) + i] = value;
    }

    /// <summary>‖a − row_j‖² for rows j..j+3 of <paramref name="rows"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) SquaredDistances4(ReadOnlySpan<double> a, double[] rows, int j, int dimensions)
    {
        var va = MemoryMarshal.Cast<double, Vector<double>>(a);
        var v0 = MemoryMarshal.Cast<double, Vector<double>>(rows.AsSpan(j * dimensions, dimensions));
        var v1 = MemoryMarshal.Cast<double, Vector<double>>(rows.AsSpan((j + 1) * dimensions, dimensions));
        var v2 = MemoryMarshal.Cast<double, Vector<double>>(rows.AsSpan((j + 2) * dimensions, dimensions));
        var v3 = MemoryMarshal.Cast<double, Vector<double>>(rows.AsSpan((j + 3) * dimensions, dimensions));
        Vector<double> s0 = Vector<double>.Zero, s1 = s0, s2 = s0, s3 = s0;
        for (var v = 0; v < va.Length; v++)
        {
            var x = va[v];
            var e0 = x - v0[v];
            var e1 = x - v1[v];
            var e2 = x - v2[v];
            var e3 = x - v3[v];
            s0 += e0 * e0;
            s1 += e1 * e1;
            s2 += e2 * e2;
            s3 += e3 * e3;
        }

        double r0 = Vector.Sum(s0), r1 = Vector.Sum(s1), r2 = Vector.Sum(s2), r3 = Vector.Sum(s3);
        for (var d = va.Length * Vector<double>.Count; d < dimensions; d++)
        {
            var x = a[d];
            var e0 = x - rows[(j * dimensions) + d];
            var e1 = x - rows[((j + 1) * dimensions) + d];
            var e2 = x - rows[((j + 2) * dimensions) + d];
            var e3 = x - rows[((j + 3) * dimensions) + d];
            r0 += e0 * e0;
            r1 += e1 * e1;
            r2 += e2 * e2;
            r3 += e3 * e3;
        }

        return (r0, r1, r2, r3);
    }
}
