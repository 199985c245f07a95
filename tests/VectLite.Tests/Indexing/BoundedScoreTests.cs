using VectLite.Vectors;

namespace VectLite.Tests.Indexing;

/// <summary>
/// The early-stopping distances HNSW scores neighbours with (<see cref="IBoundedScorer.ScoreAbove"/>): exact
/// whenever they beat the bound, never claiming a loser beats it, and really stopping early.
/// </summary>
public sealed class BoundedScoreTests
{
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        foreach (int n in Enumerable.Range(1, 300).Concat([511, 512, 513, 768, 784]))
        {
            data.Add(n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Every_width_matches_an_independent_sum_and_its_limited_form_keeps_the_limit_contract(int length)
    {
        var rng = new Random(length);
        float[] a = Random(rng, length);
        float[] b = Random(rng, length);

        // Independent references: plain double-precision loops, not the kernels under test.
        double l2 = 0, l1 = 0;
        for (int i = 0; i < length; i++)
        {
            double d = (double)a[i] - b[i];
            l2 += d * d;
            l1 += Math.Abs(d);
        }

        foreach ((Func<float[], float[], float> plain, Func<float[], float[], float, float> within) in Widths<VectorKernels.L2SquaredOp>(length))
        {
            AssertClose(l2, plain(a, b));
            Check(plain(a, b), limit => within(a, b, limit));
        }

        foreach ((Func<float[], float[], float> plain, Func<float[], float[], float, float> within) in Widths<VectorKernels.L1Op>(length))
        {
            AssertClose(l1, plain(a, b));
            Check(plain(a, b), limit => within(a, b, limit));
        }

        AssertClose(l2, VectorKernels.L2Squared(a, b));
        AssertClose(l1, VectorKernels.L1(a, b));
        Check(VectorKernels.L2Squared(a, b), limit => VectorKernels.L2SquaredWithin(a, b, limit));
        Check(VectorKernels.L1(a, b), limit => VectorKernels.L1Within(a, b, limit));
    }

    /// <summary>Float sums in another order differ from the double sum by rounding only (well under a relative 1e-4 at
    /// these lengths); a dropped or doubled element moves the sum by about 1/length, at least 1.2e-3 here.</summary>
    private static void AssertClose(double expected, float actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, expected), $"{actual} is not the reference {expected}");

    [Fact]
    public void A_far_vector_is_abandoned_before_its_end()
    {
        float[] a = new float[784];
        float[] b = Enumerable.Repeat(1f, 784).ToArray();

        // The full distance is 784; after 128 elements the partial sum is already 128, past the limit of 100.
        Assert.Equal(128f, VectorKernels.L2SquaredWithin(a, b, 100f));
        Assert.Equal(128f, VectorKernels.L1Within(a, b, 100f));
        Assert.Equal(784f, VectorKernels.L2SquaredWithin(a, b, float.PositiveInfinity));
        Assert.Equal(784f, VectorKernels.L2SquaredWithin(a, b, 785f));
    }

    [Fact]
    public void ScoreAbove_is_the_score_above_the_floor_and_at_most_the_floor_below()
    {
        var rng = new Random(5);
        for (int trial = 0; trial < 200; trial++)
        {
            int length = rng.Next(1, 900);
            float[] q = Random(rng, length);
            float[] v = Random(rng, length);
            CheckScorer<L2Scorer>(q, v);
            CheckScorer<L1Scorer>(q, v);
            CheckScorer<DotScorer>(q, v);

            // Cosine takes a unit query and a stored vector of any length.
            Assert.True(VectorKernels.TryNormalize(q));
            CheckScorer<CosineScorer>(q, v);
        }
    }

    private static void CheckScorer<TScorer>(float[] q, float[] v)
        where TScorer : struct, IBoundedScorer
    {
        float score = TScorer.Score(q, v);
        Assert.Equal(score, TScorer.ScoreAbove(q, v, float.NegativeInfinity));
        Assert.Equal(score, TScorer.ScoreAbove(q, v, score - Math.Max(1e-3f, Math.Abs(score) * 1e-3f)));
        Assert.True(TScorer.ScoreAbove(q, v, score) <= score);
        float floor = score + Math.Max(1f, Math.Abs(score));
        Assert.True(TScorer.ScoreAbove(q, v, floor) <= floor);
    }

    /// <summary>Checks the contract of a limited reduction against its exact value.</summary>
    private static void Check(float exact, Func<float, float> within)
    {
        Assert.Equal(exact, within(float.PositiveInfinity));
        Assert.Equal(exact, within(BitIncrement(exact)));
        foreach (float fraction in new[] { 1f, 0.75f, 0.5f, 0.1f, 0f })
        {
            float limit = exact * fraction;
            float result = within(limit);
            Assert.True(result >= limit, $"A limit of {limit} returned {result}: a loser must not look like a winner.");
            Assert.True(result <= exact, $"A partial sum {result} exceeds the full {exact}.");
        }
    }

    /// <summary>
    /// The plain and the limited reduction at every width that fits <paramref name="length"/> (wider ones run
    /// emulated where the CPU lacks them), and the scalar loop. A width wider than the vector is left out
    /// rather than replaced by the scalar loop on both sides, which would compare a function with itself.
    /// </summary>
    private static IEnumerable<(Func<float[], float[], float> Plain, Func<float[], float[], float, float> Within)> Widths<TOp>(int length)
        where TOp : struct, VectorKernels.IPairReduction
    {
        if (length >= 16)
        {
            yield return (
                (a, b) => VectorKernels.Reduce512<TOp>(ref a[0], ref b[0], (nuint)a.Length),
                (a, b, limit) => VectorKernels.Reduce512<TOp, VectorKernels.CheckLimit>(ref a[0], ref b[0], (nuint)a.Length, limit));
        }

        if (length >= 8)
        {
            yield return (
                (a, b) => VectorKernels.Reduce256<TOp>(ref a[0], ref b[0], (nuint)a.Length),
                (a, b, limit) => VectorKernels.Reduce256<TOp, VectorKernels.CheckLimit>(ref a[0], ref b[0], (nuint)a.Length, limit));
        }

        if (length >= 4)
        {
            yield return (
                (a, b) => VectorKernels.Reduce128<TOp>(ref a[0], ref b[0], (nuint)a.Length),
                (a, b, limit) => VectorKernels.Reduce128<TOp, VectorKernels.CheckLimit>(ref a[0], ref b[0], (nuint)a.Length, limit));
        }

        yield return ((a, b) => Scalar<TOp>(a, b), (a, b, _) => Scalar<TOp>(a, b));
    }

    private static float Scalar<TOp>(float[] a, float[] b)
        where TOp : struct, VectorKernels.IPairReduction =>
        VectorKernels.ReduceScalar<TOp>(ref a[0], ref b[0], (nuint)a.Length);

    private static float BitIncrement(float x) => MathF.BitIncrement(x);

    private static float[] Random(Random rng, int length)
    {
        var v = new float[length];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (rng.NextSingle() * 2f) - 1f;
        }

        return v;
    }
}
