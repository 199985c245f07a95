namespace VectLite.Bench;

/// <summary>The small amount of statistics a benchmark report needs.</summary>
internal static class Statistics
{
    /// <summary>The median (the mean of the two middle values for an even count).</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values];
        if (sorted.Length == 0)
        {
            throw new ArgumentException("The median of no values is undefined.", nameof(values));
        }
        Array.Sort(sorted);
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
