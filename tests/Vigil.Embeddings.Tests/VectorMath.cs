namespace Vigil.Embeddings.Tests;

internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (double)a[i] * b[i];
        }

        return sum;
    }

    public static double Norm(ReadOnlySpan<float> a) => Math.Sqrt(Dot(a, a));

    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => Dot(a, b) / (Norm(a) * Norm(b));

    public static double MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var max = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
