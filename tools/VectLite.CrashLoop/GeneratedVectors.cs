namespace VectLite.CrashLoop;

/// <summary>
/// The vector each upserted record carries, derived from what the journal holds (namespace, id, sequence number,
/// position in the batch), so the verifier can recompute it and compare it bit for bit without a copy in the journal.
/// </summary>
public static class GeneratedVectors
{
    /// <summary>Components per vector.</summary>
    public const int Dimension = 16;

    /// <summary>The vector of record <paramref name="id"/> written by operation <paramref name="sequence"/> at <paramref name="position"/>.</summary>
    public static float[] For(string @namespace, ulong id, long sequence, int position)
    {
        ArgumentNullException.ThrowIfNull(@namespace);
        ulong state = 0x9E3779B97F4A7C15UL ^ (ulong)sequence * 0xBF58476D1CE4E5B9UL ^ id * 0x94D049BB133111EBUL ^ (ulong)position << 40;
        foreach (char c in @namespace)
        {
            state = (state ^ c) * 0x100000001B3UL;
        }
        var vector = new float[Dimension];
        for (int i = 0; i < vector.Length; i++)
        {
            // splitmix64: cheap, deterministic, and independent of System.Random's algorithm across runtimes
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            vector[i] = (float)((z >> 40) / (double)(1UL << 24) * 2.0 - 1.0);
        }
        return vector;
    }
}
