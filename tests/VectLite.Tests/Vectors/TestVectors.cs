namespace VectLite.Tests.Vectors;

/// <summary>Seeded random data for the vector-layer tests.</summary>
internal static class TestVectors
{
    /// <summary>Every length 1..300 (each tail case of every width) plus the common embedding sizes.</summary>
    internal static IEnumerable<int> Lengths()
    {
        for (int n = 1; n <= 300; n++)
        {
            yield return n;
        }

        yield return 768;
        yield return 784;
    }

    /// <summary>Returns <paramref name="length"/> uniform floats in [-1, 1).</summary>
    internal static float[] Random(Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (rng.NextSingle() * 2f) - 1f;
        }

        return v;
    }
}
