using System.Runtime.InteropServices;
using VectLite.Vectors;

namespace VectLite.Tests.Vectors;

public sealed class VectorKernelsTests
{
    public enum Kernel
    {
        Dot,
        L2Squared,
        L1,
    }

    /// <summary>Which body runs: the dispatcher, or one width forced (the software fallback is exact too, so every width runs anywhere).</summary>
    public enum Width
    {
        Dispatched,
        Scalar,
        V128,
        V256,
        V512,
    }

    public static TheoryData<Kernel, Width> KernelsAndWidths()
    {
        var data = new TheoryData<Kernel, Width>();
        foreach (Kernel kernel in Enum.GetValues<Kernel>())
        {
            foreach (Width width in Enum.GetValues<Width>())
            {
                data.Add(kernel, width);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KernelsAndWidths))]
    public void Kernel_equals_its_scalar_twin_for_every_length_and_alignment(Kernel kernel, Width width)
    {
        var rng = new Random(1000 + (10 * (int)kernel) + (int)width);
        int minLength = width switch
        {
            Width.V128 => 4,
            Width.V256 => 8,
            Width.V512 => 16,
            _ => 1,
        };

        foreach (int length in TestVectors.Lengths())
        {
            if (length < minLength)
            {
                continue;
            }

            // Offsets 0..3 floats move the start off the 64-byte (and 16-byte) boundaries.
            for (int offset = 0; offset < 4; offset++)
            {
                ReadOnlySpan<float> a = TestVectors.Random(rng, length + offset).AsSpan(offset);
                ReadOnlySpan<float> b = TestVectors.Random(rng, length + offset).AsSpan(offset);

                float expected = Twin(kernel, a, b);
                float actual = Run(kernel, width, a, b);

                double scale = Magnitude(kernel, a, b);
                Assert.True(
                    Math.Abs(actual - expected) <= (1e-4 * scale) + 1e-6,
                    $"{kernel}/{width} length {length} offset {offset}: SIMD {actual}, scalar {expected}.");
            }
        }
    }

    [Fact]
    public void SumOfSquares_equals_its_scalar_twin_and_the_dot_product_with_itself()
    {
        var rng = new Random(2000);
        foreach (int length in TestVectors.Lengths())
        {
            float[] a = TestVectors.Random(rng, length);
            float expected = VectorKernels.SumOfSquaresScalar(a);
            float actual = VectorKernels.SumOfSquares(a);
            Assert.True(Math.Abs(actual - expected) <= (1e-4 * expected) + 1e-6, $"length {length}: SIMD {actual}, scalar {expected}.");
            Assert.Equal(VectorKernels.Dot(a, a), actual);
        }
    }

    [Fact]
    public void Kernels_return_exact_values_on_small_integers()
    {
        // Small integers are exact in float whatever the summation order.
        float[] a = new float[37];
        float[] b = new float[37];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = i % 5;
            b[i] = (i % 3) - 1;
        }

        double dot = 0, l2 = 0, l1 = 0, ss = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            l2 += (a[i] - b[i]) * (a[i] - b[i]);
            l1 += Math.Abs(a[i] - b[i]);
            ss += a[i] * a[i];
        }

        Assert.Equal((float)dot, VectorKernels.Dot(a, b));
        Assert.Equal((float)l2, VectorKernels.L2Squared(a, b));
        Assert.Equal((float)l1, VectorKernels.L1(a, b));
        Assert.Equal((float)ss, VectorKernels.SumOfSquares(a));
        Assert.Equal(0f, VectorKernels.L2Squared(a, a));
        Assert.Equal(0f, VectorKernels.L1(b, b));
    }

    [Fact]
    public void Kernels_of_empty_vectors_are_zero()
    {
        Assert.Equal(0f, VectorKernels.Dot([], []));
        Assert.Equal(0f, VectorKernels.L2Squared([], []));
        Assert.Equal(0f, VectorKernels.L1([], []));
        Assert.Equal(0f, VectorKernels.SumOfSquares([]));
    }

    [Fact]
    public void Kernels_reject_vectors_of_different_lengths()
    {
        float[] a = new float[17];
        float[] b = new float[16];
        Assert.Throws<ArgumentException>(() => VectorKernels.Dot(a, b));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2Squared(a, b));
        Assert.Throws<ArgumentException>(() => VectorKernels.L1(b, a));
        Assert.Throws<ArgumentException>(() => VectorKernels.DotScalar(a, b));
        Assert.Throws<ArgumentException>(() => VectorKernels.L2SquaredScalar(a, b));
        Assert.Throws<ArgumentException>(() => VectorKernels.L1Scalar(a, b));
    }

    public static TheoryData<Width> AllWidths() => [Width.Dispatched, Width.Scalar, Width.V128, Width.V256, Width.V512];

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void AllFinite_finds_NaN_and_infinities_at_every_position(Width width)
    {
        var rng = new Random(3000 + (int)width);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, BitConverter.Int32BitsToSingle(unchecked((int)0xFFC0_0001u))];
        foreach (int length in TestVectors.Lengths())
        {
            if (length < MinLength(width))
            {
                continue;
            }

            float[] v = TestVectors.Random(rng, length);
            Assert.True(AllFinite(width, v), $"{width} length {length}: finite vector reported non-finite.");
            Assert.True(VectorKernels.AllFiniteScalar(v));

            for (int position = 0; position < length; position++)
            {
                float saved = v[position];
                foreach (float special in specials)
                {
                    v[position] = special;
                    Assert.False(AllFinite(width, v), $"{width} length {length}: {special} at {position} missed.");
                    Assert.False(VectorKernels.AllFiniteScalar(v));
                }

                v[position] = saved;
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void AllFinite_accepts_extreme_finite_values(Width width)
    {
        float[] v = new float[67];
        float[] extremes = [float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon, -0f, 0f, 1e-40f, BitConverter.Int32BitsToSingle(0x7F7F_FFFF)];
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = extremes[i % extremes.Length];
        }

        for (int length = MinLength(width); length <= v.Length; length++)
        {
            Assert.True(AllFinite(width, v.AsSpan(0, length)), $"{width} length {length}");
        }

        Assert.True(VectorKernels.AllFinite([]));
    }

    [Fact]
    public void TryNormalize_scales_to_unit_length_and_keeps_the_direction()
    {
        var rng = new Random(4000);
        foreach (int length in TestVectors.Lengths())
        {
            float[] original = TestVectors.Random(rng, length);
            float[] v = (float[])original.Clone();

            Assert.True(VectorKernels.TryNormalize(v), $"length {length}");
            AssertUnitAndParallel(original, v);
        }
    }

    [Theory]
    [InlineData(1e-25f)]
    [InlineData(1e-40f)]
    [InlineData(1e25f)]
    [InlineData(1e38f)]
    public void TryNormalize_handles_norms_single_precision_cannot_square(float magnitude)
    {
        var rng = new Random(4100);
        foreach (int length in new[] { 1, 3, 16, 100, 784 })
        {
            float[] original = TestVectors.Random(rng, length);
            for (int i = 0; i < length; i++)
            {
                original[i] = (original[i] >= 0 ? 0.5f + original[i] : original[i] - 0.5f) * magnitude;
            }

            float[] v = (float[])original.Clone();
            Assert.True(VectorKernels.TryNormalize(v), $"length {length} magnitude {magnitude}");
            AssertUnitAndParallel(original, v);
        }
    }

    [Fact]
    public void TryNormalize_refuses_zero_empty_and_non_finite_vectors_and_leaves_them_unchanged()
    {
        float[] zero = new float[50];
        Assert.False(VectorKernels.TryNormalize(zero));
        Assert.All(zero, f => Assert.Equal(0f, f));

        Assert.False(VectorKernels.TryNormalize([]));

        foreach (float special in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            float[] v = TestVectors.Random(new Random(4200), 40);
            v[17] = special;
            float[] before = (float[])v.Clone();
            Assert.False(VectorKernels.TryNormalize(v));
            Assert.Equal(before, v);
        }
    }

    private static void AssertUnitAndParallel(float[] original, float[] normalized)
    {
        double norm = 0, originalNorm = 0;
        foreach (float f in normalized)
        {
            norm += (double)f * f;
        }

        foreach (float f in original)
        {
            originalNorm += (double)f * f;
        }

        originalNorm = Math.Sqrt(originalNorm);
        Assert.True(Math.Abs(Math.Sqrt(norm) - 1d) <= 1e-5, $"length {original.Length}: norm {Math.Sqrt(norm)}.");
        for (int i = 0; i < original.Length; i++)
        {
            double expected = original[i] / originalNorm;
            Assert.True(Math.Abs(normalized[i] - expected) <= 1e-6 + (1e-5 * Math.Abs(expected)), $"length {original.Length} component {i}: {normalized[i]} vs {expected}.");
        }
    }

    private static int MinLength(Width width) => width switch
    {
        Width.V128 => 4,
        Width.V256 => 8,
        Width.V512 => 16,
        _ => 0,
    };

    private static bool AllFinite(Width width, ReadOnlySpan<float> v)
    {
        ref float x = ref MemoryMarshal.GetReference(v);
        return width switch
        {
            Width.V128 => VectorKernels.AllFinite128(ref x, (nuint)v.Length),
            Width.V256 => VectorKernels.AllFinite256(ref x, (nuint)v.Length),
            Width.V512 => VectorKernels.AllFinite512(ref x, (nuint)v.Length),
            Width.Scalar => VectorKernels.AllFiniteScalar(v),
            _ => VectorKernels.AllFinite(v),
        };
    }

    private static float Twin(Kernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b) => kernel switch
    {
        Kernel.Dot => VectorKernels.DotScalar(a, b),
        Kernel.L2Squared => VectorKernels.L2SquaredScalar(a, b),
        _ => VectorKernels.L1Scalar(a, b),
    };

    private static float Run(Kernel kernel, Width width, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (width == Width.Dispatched)
        {
            return kernel switch
            {
                Kernel.Dot => VectorKernels.Dot(a, b),
                Kernel.L2Squared => VectorKernels.L2Squared(a, b),
                _ => VectorKernels.L1(a, b),
            };
        }

        return kernel switch
        {
            Kernel.Dot => RunWidth<VectorKernels.DotOp>(width, a, b),
            Kernel.L2Squared => RunWidth<VectorKernels.L2SquaredOp>(width, a, b),
            _ => RunWidth<VectorKernels.L1Op>(width, a, b),
        };
    }

    private static float RunWidth<TOp>(Width width, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
        where TOp : struct, VectorKernels.IPairReduction
    {
        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        return width switch
        {
            Width.Scalar => VectorKernels.ReduceScalar<TOp>(ref x, ref y, (nuint)a.Length),
            Width.V128 => VectorKernels.Reduce128<TOp>(ref x, ref y, (nuint)a.Length),
            Width.V256 => VectorKernels.Reduce256<TOp>(ref x, ref y, (nuint)a.Length),
            _ => VectorKernels.Reduce512<TOp>(ref x, ref y, (nuint)a.Length),
        };
    }

    /// <summary>The size of the terms summed: the error bound of any summation order scales with it.</summary>
    private static double Magnitude(Kernel kernel, ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += kernel switch
            {
                Kernel.Dot => Math.Abs((double)a[i] * b[i]),
                Kernel.L2Squared => ((double)a[i] - b[i]) * ((double)a[i] - b[i]),
                _ => Math.Abs((double)a[i] - b[i]),
            };
        }

        return sum;
    }
}
