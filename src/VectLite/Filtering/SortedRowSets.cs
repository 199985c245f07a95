namespace VectLite.Filtering;

/// <summary>Set operations on ascending, duplicate-free arrays of row ids.</summary>
internal static class SortedRowSets
{
    /// <summary>The rows present in both <paramref name="left"/> and <paramref name="right"/>.</summary>
    public static int[] Intersect(int[] left, int[] right)
    {
        if (left.Length == 0 || right.Length == 0)
        {
            return [];
        }

        var result = new int[Math.Min(left.Length, right.Length)];
        int count = 0;
        int i = 0;
        int j = 0;
        while (i < left.Length && j < right.Length)
        {
            int a = left[i];
            int b = right[j];
            if (a == b)
            {
                result[count++] = a;
                i++;
                j++;
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return count == result.Length ? result : result.AsSpan(0, count).ToArray();
    }

    /// <summary>The rows present in <paramref name="left"/> or <paramref name="right"/>.</summary>
    public static int[] Union(int[] left, int[] right)
    {
        if (left.Length == 0)
        {
            return right;
        }

        if (right.Length == 0)
        {
            return left;
        }

        var result = new int[left.Length + right.Length];
        int count = 0;
        int i = 0;
        int j = 0;
        while (i < left.Length && j < right.Length)
        {
            int a = left[i];
            int b = right[j];
            if (a <= b)
            {
                result[count++] = a;
                i++;
                if (a == b)
                {
                    j++;
                }
            }
            else
            {
                result[count++] = b;
                j++;
            }
        }

        while (i < left.Length)
        {
            result[count++] = left[i++];
        }

        while (j < right.Length)
        {
            result[count++] = right[j++];
        }

        return count == result.Length ? result : result.AsSpan(0, count).ToArray();
    }
}
