namespace Vigil.Drift;

/// <summary>Order statistics without a full sort.</summary>
internal static class Selection
{
    /// <summary>
    /// Rearranges <paramref name="values"/> so that the k-th smallest (0-based) is at <paramref name="k"/>, everything
    /// before it ≤ it and everything after it ≥ it (Hoare's quickselect with a median-of-three pivot), and returns it.
    /// </summary>
    public static double Select(double[] values, long k)
    {
        long left = 0, right = values.Length - 1;
        while (right > left)
        {
            var mid = left + ((right - left) / 2);
            // Median of three to the middle, as the pivot.
            if (values[mid] < values[left])
            {
                (values[mid], values[left]) = (values[left], values[mid]);
            }

            if (values[right] < values[left])
            {
                (values[right], values[left]) = (values[left], values[right]);
            }

            if (values[right] < values[mid])
            {
                (values[right], values[mid]) = (values[mid], values[right]);
            }

            var pivot = values[mid];
            long i = left, j = right;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                right = j;
            }
            else if (k >= i)
            {
                left = i;
            }
            else
            {
                return values[k];
            }
        }

        return values[k];
    }
}
