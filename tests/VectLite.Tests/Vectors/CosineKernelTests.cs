using VectLite.Vectors;

namespace VectLite.Tests.Vectors;

/// <summary>
/// The cosine kernel over stored vectors of any length (the engine no longer normalises them): the fused dot product and
/// squared norm at every width, the score against double-precision references, its extreme-magnitude path, the score
/// between two stored vectors the HNSW heuristic uses, and the nonzero check the writer applies.
/// </summary>
public sealed class CosineKernelTests
{
    public enum Width
    {
        Dispatched,
        Scalar,
        V128,
        V256,
        V512,
    }

    public static TheoryData<Width> AllWidths() => [Width.Dispatched, Width.Scalar, Width.V128, Width.V256, Width.V512];

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void DotAndSumOfSquares_matches_double_sums_at_every_length_and_alignment(Width width)
    {
        var rng = new Random(7000 + (int)width);
        foreach (int length in TestVectors.Lengths())
        {
            // A width wider than the vector is left out rather than run as the scalar loop on both sides.
            if (length < MinLength(width))
            {
                continue;
            }

            for (int offset = 0; offset < 4; offset++)
            {
                float[] a = TestVectors.Random(rng, length + offset)[offset..];
                float[] b = TestVectors.Random(rng, length + offset)[offset..];
                double dot = 0, squares = 0;
                for (int i = 0; i < length; i++)
                {
                    dot += (double)a[i] * b[i];
                    squares += (double)b[i] * b[i];
                }

                float actualDot = Run(width, a, b, out float actualSquares);

                // Reassociation error stays far below 1e-4 of the magnitude; a dropped or doubled element moves a sum
                // by about 1/length of it, at least 1.2e-3 here.
                double scale = Math.Sqrt(squares * length) + 1;
                Assert.True(Math.Abs(actualDot - dot) <= 1e-4 * scale, $"{width} length {length} offset {offset}: dot {actualDot}, reference {dot}.");
                Assert.True(Math.Abs(actualSquares - squares) <= 1e-4 * squares, $"{width} length {length} offset {offset}: squares {actualSquares}, reference {squares}.");
            }
        }
    }

    [Fact]
    public void DotAndSumOfSquares_is_exact_on_small_integers()
    {
        float[] a = new float[53];
        float[] b = new float[53];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = (i % 7) - 3;
            b[i] = (i % 4) + 1;
        }

        // References summed in integers, exact.
        float dot = VectorKernels.DotAndSumOfSquares(a, b, out float squares);
        Assert.Equal(LiteralDot(a, b), dot);
        Assert.Equal(LiteralSquares(b), squares);
        Assert.Equal(0f, VectorKernels.DotAndSumOfSquares([], [], out float none));
        Assert.Equal(0f, none);
        Assert.Throws<ArgumentException>(() => VectorKernels.DotAndSumOfSquares(new float[5], new float[4], out _));
        Assert.Throws<ArgumentException>(() => VectorKernels.DotAndSumOfSquaresScalar(new float[5], new float[4], out _));
    }

    [Theory]
    [InlineData(1e-20f)]
    [InlineData(1e-3f)]
    [InlineData(1f)]
    [InlineData(1e3f)]
    [InlineData(1e20f)]
    [InlineData(1e30f)]
    public void CosineToUnit_is_the_cosine_whatever_the_stored_vector_length(float magnitude)
    {
        // 1e-20 and 1e20 are past what a float squared norm holds (underflow and overflow): the double path.
        var rng = new Random(7100);
        foreach (int length in new[] { 1, 2, 3, 7, 16, 17, 33, 64, 100, 384, 784 })
        {
            float[] query = UnitInDouble(TestVectors.Random(rng, length));
            float[] vector = TestVectors.Random(rng, length);
            for (int i = 0; i < length; i++)
            {
                vector[i] *= magnitude;
            }

            double expected = CosineInDouble(query, vector);
            float actual = VectorKernels.CosineToUnit(query, vector);
            Assert.True(Math.Abs(actual - expected) <= 1e-6, $"length {length} magnitude {magnitude}: {actual}, reference {expected}.");
        }
    }

    [Fact]
    public void CosineToUnit_handles_the_extremes_of_single_precision()
    {
        float[] diagonal = UnitInDouble([1f, -1f]);
        Assert.Equal(1f, VectorKernels.CosineToUnit(diagonal, [float.MaxValue, -float.MaxValue]), 6);
        Assert.Equal(1f, VectorKernels.CosineToUnit(diagonal, [float.Epsilon, -float.Epsilon]), 6);
        Assert.Equal(-1f, VectorKernels.CosineToUnit(diagonal, [-3e38f, 3e38f]), 6);
        Assert.Equal(0f, VectorKernels.CosineToUnit(diagonal, [1e-40f, 1e-40f]), 6);
        Assert.Equal(0.6f, VectorKernels.CosineToUnit([1f, 0f], [3e-30f, 4e-30f]), 6);
        Assert.Equal(0.8f, VectorKernels.CosineToUnit([0f, 1f], [3e25f, 4e25f]), 6);
    }

    [Fact]
    public void CosineToUnit_equals_the_dot_product_of_the_unit_vectors_the_engine_used_to_store()
    {
        // Before raw vectors were kept, a cosine score was Dot(normalised query, normalised vector): same within rounding.
        var rng = new Random(7200);
        foreach (int length in TestVectors.Lengths())
        {
            float[] query = TestVectors.Random(rng, length);
            float[] vector = TestVectors.Random(rng, length);
            float scale = MathF.Pow(10f, (rng.NextSingle() * 8f) - 4f);
            for (int i = 0; i < length; i++)
            {
                vector[i] *= scale;
            }

            float[] unitQuery = (float[])query.Clone();
            float[] unitVector = (float[])vector.Clone();
            Assert.True(VectorKernels.TryNormalize(unitQuery));
            Assert.True(VectorKernels.TryNormalize(unitVector));
            float old = VectorKernels.DotScalar(unitQuery, unitVector);
            float now = VectorKernels.CosineToUnit(unitQuery, vector);
            Assert.True(Math.Abs(now - old) <= 1e-6, $"length {length}: {now}, the old score {old}.");
        }
    }

    [Theory]
    [InlineData(1e-25f, 1f)]
    [InlineData(1f, 1f)]
    [InlineData(1e-3f, 1e4f)]
    [InlineData(1e16f, 1f)]
    [InlineData(1e25f, 1e25f)]
    [InlineData(1e-25f, 1e-25f)]
    [InlineData(1e30f, 1e-30f)]
    [InlineData(1f, 1e25f)]
    [InlineData(1f, 1e-25f)]
    public void ScoreStored_is_the_cosine_of_two_stored_vectors_of_any_lengths(float firstMagnitude, float secondMagnitude)
    {
        var rng = new Random(7300);
        foreach (int length in new[] { 2, 5, 16, 31, 128, 784 })
        {
            float[] first = Scaled(TestVectors.Random(rng, length), firstMagnitude);
            float[] second = Scaled(TestVectors.Random(rng, length), secondMagnitude);
            double expected = CosineInDouble(first, second);

            float factor = CosineScorer.StoredFactor(first);
            float actual = CosineScorer.ScoreStored(first, factor, second);
            Assert.True(Math.Abs(actual - expected) <= 1e-6, $"length {length}, |first| ~ {firstMagnitude}, |second| ~ {secondMagnitude}: {actual}, reference {expected}.");

            // Symmetric, as the graph's reverse links assume.
            float reverse = CosineScorer.ScoreStored(second, CosineScorer.StoredFactor(second), first);
            Assert.True(Math.Abs(reverse - actual) <= 2e-6, $"length {length}: {actual} one way, {reverse} the other.");
        }
    }

    [Fact]
    public void The_other_metrics_score_stored_vectors_as_queries()
    {
        var rng = new Random(7400);
        float[] a = Scaled(TestVectors.Random(rng, 37), 3f);
        float[] b = TestVectors.Random(rng, 37);
        Assert.False(DotScorer.NeedsUnitQuery || L2Scorer.NeedsUnitQuery || L1Scorer.NeedsUnitQuery);
        Assert.True(CosineScorer.NeedsUnitQuery);
        Assert.Equal(DotScorer.Score(a, b), DotScorer.ScoreStored(a, DotScorer.StoredFactor(a), b));
        Assert.Equal(L2Scorer.Score(a, b), L2Scorer.ScoreStored(a, L2Scorer.StoredFactor(a), b));
        Assert.Equal(L1Scorer.Score(a, b), L1Scorer.ScoreStored(a, L1Scorer.StoredFactor(a), b));
    }

    [Fact]
    public void HasNonZero_finds_any_nonzero_component_even_when_its_square_underflows()
    {
        Assert.False(VectorKernels.HasNonZero([]));
        Assert.False(VectorKernels.HasNonZero(new float[100]));
        Assert.False(VectorKernels.HasNonZero([0f, -0f, 0f, -0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -0f]));
        foreach (float tiny in new[] { float.Epsilon, -float.Epsilon, 1e-30f, -1e-25f })
        {
            for (int at = 0; at < 40; at += 13)
            {
                float[] v = new float[40];
                v[at] = tiny;
                Assert.True(VectorKernels.HasNonZero(v), $"{tiny} at {at}");
            }
        }

        Assert.True(VectorKernels.HasNonZero([0f, 0f, 1f]));
        Assert.True(VectorKernels.HasNonZero([float.MaxValue, float.MaxValue]));
    }

    private static int MinLength(Width width) => width switch
    {
        Width.V128 => 4,
        Width.V256 => 8,
        Width.V512 => 16,
        _ => 1,
    };

    private static float Run(Width width, float[] a, float[] b, out float squares) => width switch
    {
        Width.Dispatched => VectorKernels.DotAndSumOfSquares(a, b, out squares),
        Width.Scalar => VectorKernels.DotAndSumOfSquaresScalar(a, b, out squares),
        Width.V128 => VectorKernels.DotAndSumOfSquares128(ref a[0], ref b[0], (nuint)a.Length, out squares),
        Width.V256 => VectorKernels.DotAndSumOfSquares256(ref a[0], ref b[0], (nuint)a.Length, out squares),
        _ => VectorKernels.DotAndSumOfSquares512(ref a[0], ref b[0], (nuint)a.Length, out squares),
    };

    /// <summary>A plain loop over small integers: exact in float whatever the order.</summary>
    private static float LiteralDot(float[] a, float[] b)
    {
        int sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += (int)a[i] * (int)b[i];
        }

        return sum;
    }

    private static float LiteralSquares(float[] b)
    {
        int sum = 0;
        foreach (float x in b)
        {
            sum += (int)x * (int)x;
        }

        return sum;
    }

    private static float[] Scaled(float[] v, float factor)
    {
        for (int i = 0; i < v.Length; i++)
        {
            v[i] *= factor;
        }

        return v;
    }

    /// <summary><paramref name="v"/> divided by its norm, both in double.</summary>
    internal static float[] UnitInDouble(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => (float)(x / norm)).ToArray();
    }

    /// <summary>The cosine of two vectors in double precision: the independent reference.</summary>
    internal static double CosineInDouble(float[] a, float[] b)
    {
        double dot = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            aa += (double)a[i] * a[i];
            bb += (double)b[i] * b[i];
        }

        return dot / (Math.Sqrt(aa) * Math.Sqrt(bb));
    }
}
