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
    public void Every_width_is_bit_identical_to_the_plain_reduction_below_the_limit_and_at_least_the_limit_above(int length)
    {
        var rng = new Random(length);
        float[] a = Random(rng, length);
        float[] b = Random(rng, length);

        foreach ((Func<float[], float[], float> plain, Func<float[], float[], float, float> within) in Widths<VectorKernels.L2SquaredOp>())
        {
            Check(plain(a, b), limit => within(a, b, limit));
        }

        foreach ((Func<float[], float[], float> plain, Func<float[], float[], float, float> within) in Widths<VectorKernels.L1Op>())
        {
            Check(plain(a, b), limit => within(a, b, limit));
        }

        Check(VectorKernels.L2Squared(a, b), limit => VectorKernels.L2SquaredWithin(a, b, limit));
        Check(VectorKernels.L1(a, b), limit => VectorKernels.L1Within(a, b, limit));
    }

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
    /// The plain and the limited reduction at every width (wider ones run emulated where the CPU lacks
    /// them); below a width's vector length both fall back to the scalar loop.
    /// </summary>
    private static IEnumerable<(Func<float[], float[], float> Plain, Func<float[], float[], float, float> Within)> Widths<TOp>()
        where TOp : struct, VectorKernels.IPairReduction
    {
        yield return (
            (a, b) => a.Length >= 16 ? VectorKernels.Reduce512<TOp>(ref a[0], ref b[0], (nuint)a.Length) : Scalar<TOp>(a, b),
            (a, b, limit) => a.Length >= 16 ? VectorKernels.Reduce512<TOp, VectorKernels.CheckLimit>(ref a[0], ref b[0], (nuint)a.Length, limit) : Scalar<TOp>(a, b));
        yield return (
            (a, b) => a.Length >= 8 ? VectorKernels.Reduce256<TOp>(ref a[0], ref b[0], (nuint)a.Length) : Scalar<TOp>(a, b),
            (a, b, limit) => a.Length >= 8 ? VectorKernels.Reduce256<TOp, VectorKernels.CheckLimit>(ref a[0], ref b[0], (nuint)a.Length, limit) : Scalar<TOp>(a, b));
        yield return (
            (a, b) => a.Length >= 4 ? VectorKernels.Reduce128<TOp>(ref a[0], ref b[0], (nuint)a.Length) : Scalar<TOp>(a, b),
            (a, b, limit) => a.Length >= 4 ? VectorKernels.Reduce128<TOp, VectorKernels.CheckLimit>(ref a[0], ref b[0], (nuint)a.Length, limit) : Scalar<TOp>(a, b));
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
