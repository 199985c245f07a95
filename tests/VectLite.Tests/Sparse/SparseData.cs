namespace VectLite.Tests.Sparse;

/// <summary>
/// Seeded SPLADE-like sparse vectors: term ids drawn from a Zipf distribution (a few very common terms, a long tail),
/// weights multiples of 1/16 so that every dot product the tests compute is exact in single precision whatever the
/// order of the additions.
/// </summary>
internal static class SparseData
{
    public static SparseVector Random(Random rng, int vocabulary, int maxEntries, double zipfS = 1.1)
    {
        int n = rng.Next(1, maxEntries + 1);
        var terms = new SortedSet<uint>();
        while (terms.Count < n)
        {
            terms.Add(Zipf(rng, vocabulary, zipfS));
        }
        uint[] indices = [.. terms];
        rng.Shuffle(indices); // stored order is the caller's; nothing may rely on sorted input
        float[] weights = indices.Select(_ => rng.Next(1, 33) / 16f).ToArray();
        return new SparseVector(indices, weights);
    }

    /// <summary>A term id in [0, vocabulary) with probability proportional to 1 / (rank + 1)^s.</summary>
    private static uint Zipf(Random rng, int vocabulary, double s)
    {
        // Inverse transform on the continuous approximation; good enough for a skewed test corpus.
        double u = rng.NextDouble();
        double x = Math.Pow((Math.Pow(vocabulary + 1.0, 1 - s) - 1) * u + 1, 1 / (1 - s)) - 1;
        return (uint)Math.Clamp((int)x, 0, vocabulary - 1);
    }

    /// <summary>The dot product, computed here from the entries (a dictionary, in double): the reference for the engine's.</summary>
    public static double Dot(SparseVector a, SparseVector b)
    {
        var map = new Dictionary<uint, double>();
        for (int i = 0; i < a.Count; i++)
        {
            map[a.Indices.Span[i]] = a.Values.Span[i];
        }
        double sum = 0;
        for (int i = 0; i < b.Count; i++)
        {
            if (map.TryGetValue(b.Indices.Span[i], out double w))
            {
                sum += w * b.Values.Span[i];
            }
        }
        return sum;
    }
}
