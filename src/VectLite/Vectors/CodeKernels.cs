using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VectLite.Vectors;

/// <summary>
/// The kernels quantized search runs on: a float query against 8-bit SQ8 codes (asymmetric), PQ's table lookups, and a
/// float query against IEEE half codes. Each vector kernel has a scalar reference twin the tests hold it equal to.
/// (Binary codes are scored through a per-query byte table, in <c>BinaryRowScorer</c>.)
/// </summary>
/// <remarks>
/// <para>Why a weighted dot product covers SQ8 for every metric: a code byte <c>c</c> stands for
/// <c>min + c * step</c>, so <c>q . x = sum(q * min) + sum((q * step) * c)</c>. The first sum is one number per query;
/// the second is <see cref="DotShorts"/> with weights <c>q * step</c> prepared (and quantized) once per query. L2 then needs only the decoded
/// vector's squared norm, stored with each code (see <c>Sq8Codec</c>).</para>
/// <para>Thread safety: every member is a pure function of its arguments.</para>
/// </remarks>
internal static class CodeKernels
{
    /// <summary>
    /// Quantizes SQ8 query weights to 16-bit integers for <see cref="DotShorts"/>: writes <c>round(weights / scale)</c>
    /// into <paramref name="quantized"/> and returns <c>scale</c>, chosen so the largest weight maps to
    /// <see cref="MaxQuantizedWeight"/> of <paramref name="weights"/>'s length. An all-zero query has scale 0.
    /// </summary>
    /// <remarks>
    /// Why integers: a float kernel widens each code byte to a float (two conversions per 8 components) before its
    /// multiply-add; <c>vpmaddwd</c> multiplies 16 (or 32) zero-extended bytes by 16-bit weights and adds pairs in one
    /// instruction. The weights keep 15 bits: their rounding error (at most half a unit, 1/65,534 of the largest weight)
    /// is far below the codes' own (half a step of 255), so code scores move by less than the codes already blur them.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="quantized"/> is shorter than <paramref name="weights"/>.</exception>
    internal static float QuantizeWeights(ReadOnlySpan<float> weights, Span<short> quantized)
    {
        if (quantized.Length < weights.Length)
        {
            throw new ArgumentException($"The destination holds {quantized.Length} weights, fewer than {weights.Length}.", nameof(quantized));
        }

        float largest = 0f;
        foreach (float w in weights)
        {
            largest = Math.Max(largest, Math.Abs(w));
        }

        if (largest == 0f || !float.IsFinite(largest))
        {
            quantized[..weights.Length].Clear();
            return 0f;
        }

        int limit = MaxQuantizedWeight(weights.Length);
        float scale = largest / limit;
        float inverse = limit / largest;
        for (int i = 0; i < weights.Length; i++)
        {
            quantized[i] = (short)Math.Clamp(MathF.Round(weights[i] * inverse), -limit, limit);
        }

        return scale;
    }

    /// <summary>
    /// The largest quantized weight magnitude for <paramref name="dimension"/> components: 32,767, or less when a 32-bit
    /// lane of <see cref="DotShorts"/> could otherwise overflow (a lane adds <c>dimension / 8</c> products of at most
    /// 255 x the weight; from about 2,060 dimensions on).
    /// </summary>
    internal static int MaxQuantizedWeight(int dimension) =>
        (int)Math.Min(short.MaxValue, int.MaxValue / (255L * Math.Max(1, (dimension + 7) / 8)));

    /// <summary>
    /// Returns <c>sum(weights[i] * codes[i])</c> exactly, the codes read as unsigned bytes: the SQ8 code score with
    /// weights from <see cref="QuantizeWeights"/> (times its scale). Integer arithmetic, so every path gives the same sum.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long DotShorts(ReadOnlySpan<short> weights, ReadOnlySpan<byte> codes)
    {
        if (weights.Length != codes.Length)
        {
            throw new ArgumentException($"The weights have {weights.Length} components and the code {codes.Length}.", nameof(codes));
        }

        int n = weights.Length;
        int i = 0;
        long sum = 0;
        ref short w = ref MemoryMarshal.GetReference(weights);
        ref byte c = ref MemoryMarshal.GetReference(codes);
        if (Vector512.IsHardwareAccelerated && Avx512BW.IsSupported && n >= 32)
        {
            Vector512<int> acc = Vector512<int>.Zero;
            for (; i <= n - 32; i += 32)
            {
                // 32 bytes zero-extended to 32 shorts (vpmovzxbw), times the weights, adjacent pairs added (vpmaddwd).
                Vector512<short> widened = Avx512BW.ConvertToVector512Int16(Vector256.LoadUnsafe(ref c, (nuint)i));
                acc += Avx512BW.MultiplyAddAdjacent(widened, Vector512.LoadUnsafe(ref w, (nuint)i));
            }

            sum = WidenedSum(acc.GetLower()) + WidenedSum(acc.GetUpper());
        }
        else if (Avx2.IsSupported && n >= 16)
        {
            Vector256<int> acc = Vector256<int>.Zero;
            for (; i <= n - 16; i += 16)
            {
                Vector256<short> widened = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref c, (nuint)i));
                acc += Avx2.MultiplyAddAdjacent(widened, Vector256.LoadUnsafe(ref w, (nuint)i));
            }

            sum = WidenedSum(acc);
        }

        for (; i < n; i++)
        {
            sum += Unsafe.Add(ref w, i) * Unsafe.Add(ref c, i);
        }

        return sum;
    }

    /// <summary>Sums eight 32-bit lanes in 64 bits (eight lanes at their bound would overflow 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long WidenedSum(Vector256<int> lanes)
    {
        (Vector256<long> lower, Vector256<long> upper) = Vector256.Widen(lanes);
        return Vector256.Sum(lower + upper);
    }

    /// <summary>The scalar twin of <see cref="DotShorts"/>: the reference the tests compare with.</summary>
    internal static long DotShortsScalar(ReadOnlySpan<short> weights, ReadOnlySpan<byte> codes)
    {
        long sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += weights[i] * codes[i];
        }

        return sum;
    }

    /// <summary>
    /// Hints the memory system to load the <paramref name="bytes"/> bytes from <paramref name="start"/> (a code row), one
    /// cache line at a time. A hint only: if the garbage collector moves the array meanwhile, nothing goes wrong.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Prefetch(ref byte start, int bytes)
    {
        if (!Sse.IsSupported)
        {
            return;
        }
        byte* address = (byte*)Unsafe.AsPointer(ref start);
        for (int offset = 0; offset < bytes; offset += 64)
        {
            Sse.Prefetch0(address + offset);
        }
    }

    /// <summary>
    /// Returns <c>sum(steps[i] * |targets[i] - codes[i]|)</c>: the L1 distance of a query to a decoded SQ8 vector, with the
    /// query given in code units (<c>targets = (q - min) / step</c>).
    /// </summary>
    internal static float WeightedAbsDiffBytes(ReadOnlySpan<float> steps, ReadOnlySpan<float> targets, ReadOnlySpan<byte> codes)
    {
        float sum = 0f;
        for (int i = 0; i < codes.Length; i++)
        {
            sum += steps[i] * MathF.Abs(targets[i] - codes[i]);
        }

        return sum;
    }

    /// <summary>
    /// PQ's asymmetric distance: <c>sum over m of table[m * 256 + codes[m]]</c>, the per-query table's entry for each
    /// sub-vector's centroid. Four independent sums, so the loads overlap instead of waiting on one add chain.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SumLookups(ReadOnlySpan<float> table, ReadOnlySpan<byte> codes)
    {
        if (table.Length < codes.Length * 256)
        {
            throw new ArgumentException($"The table has {table.Length} entries; {codes.Length} codes need {codes.Length * 256}.", nameof(table));
        }
        ref float t = ref MemoryMarshal.GetReference(table);
        ref byte c = ref MemoryMarshal.GetReference(codes);
        int n = codes.Length;
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int m = 0;
        for (; m <= n - 4; m += 4)
        {
            s0 += Unsafe.Add(ref t, (m << 8) + Unsafe.Add(ref c, m));
            s1 += Unsafe.Add(ref t, ((m + 1) << 8) + Unsafe.Add(ref c, m + 1));
            s2 += Unsafe.Add(ref t, ((m + 2) << 8) + Unsafe.Add(ref c, m + 2));
            s3 += Unsafe.Add(ref t, ((m + 3) << 8) + Unsafe.Add(ref c, m + 3));
        }
        for (; m < n; m++)
        {
            s0 += Unsafe.Add(ref t, (m << 8) + Unsafe.Add(ref c, m));
        }
        return (s0 + s1) + (s2 + s3);
    }

    /// <summary>The scalar twin of <see cref="SumLookups"/>, in double precision.</summary>
    internal static double SumLookupsScalar(ReadOnlySpan<float> table, ReadOnlySpan<byte> codes)
    {
        double sum = 0;
        for (int m = 0; m < codes.Length; m++)
        {
            sum += table[(m * 256) + codes[m]];
        }
        return sum;
    }

    /// <summary>Returns <c>sum(query[i] * halves[i])</c>, the halves widened to float32 exactly.</summary>
    /// <remarks>The halves must be finite (the float16 codec clamps them); an infinity or NaN code gives an undefined sum.</remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DotHalf(ReadOnlySpan<float> query, ReadOnlySpan<Half> halves) => HalfKernel<DotStep>(query, halves);

    /// <summary>Returns <c>sum((query[i] - halves[i])^2)</c>, the halves widened to float32 exactly.</summary>
    /// <remarks>As <see cref="DotHalf"/>: finite halves only.</remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L2SquaredHalf(ReadOnlySpan<float> query, ReadOnlySpan<Half> halves) => HalfKernel<L2Step>(query, halves);

    /// <summary>Returns <c>sum(|query[i] - halves[i]|)</c>, the halves widened to float32 exactly.</summary>
    /// <remarks>As <see cref="DotHalf"/>: finite halves only.</remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L1Half(ReadOnlySpan<float> query, ReadOnlySpan<Half> halves) => HalfKernel<L1Step>(query, halves);

    /// <summary>The scalar twin of the half kernels, in double precision: 0 dot, 1 squared L2, 2 L1.</summary>
    internal static double HalfScalar(ReadOnlySpan<float> query, ReadOnlySpan<Half> halves, int kind)
    {
        double sum = 0;
        for (int i = 0; i < query.Length; i++)
        {
            double q = query[i], x = (double)halves[i];
            sum += kind switch { 0 => q * x, 1 => (q - x) * (q - x), _ => Math.Abs(q - x) };
        }
        return sum;
    }

    /// <summary>
    /// One accumulation step of a half kernel, as a struct so the generic kernel specialises (no virtual call):
    /// <c>acc + f(q, x)</c> for 8 lanes and for one.
    /// </summary>
    private interface IHalfStep
    {
        static abstract Vector256<float> Step(Vector256<float> acc, Vector256<float> q, Vector256<float> x);

        static abstract float Step(float acc, float q, float x);
    }

    private readonly struct DotStep : IHalfStep
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Step(Vector256<float> acc, Vector256<float> q, Vector256<float> x) => Fma.MultiplyAdd(q, x, acc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Step(float acc, float q, float x) => acc + (q * x);
    }

    private readonly struct L2Step : IHalfStep
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Step(Vector256<float> acc, Vector256<float> q, Vector256<float> x)
        {
            Vector256<float> diff = q - x;
            return Fma.MultiplyAdd(diff, diff, acc);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Step(float acc, float q, float x) => acc + ((q - x) * (q - x));
    }

    private readonly struct L1Step : IHalfStep
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Step(Vector256<float> acc, Vector256<float> q, Vector256<float> x) => acc + Vector256.Abs(q - x);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Step(float acc, float q, float x) => acc + MathF.Abs(q - x);
    }

    /// <summary>
    /// The half kernels' loop. How the halves are widened 8 at a time with integer operations only (no F16C instruction
    /// is exposed to .NET): zero-extend each 16-bit half to 32 bits (vpmovzxwd), shift the exponent and mantissa left by
    /// 13 into a float's exponent and mantissa fields, and multiply by 2^112, which rebiases the exponent from half's 15 to
    /// float's 127; a subnormal half lands on a subnormal float that the multiplication normalises exactly. The sign bit
    /// is moved to bit 31 and OR-ed back. Infinities and NaNs would need a fix-up this skips: the codec never writes them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float HalfKernel<TStep>(ReadOnlySpan<float> query, ReadOnlySpan<Half> halves)
        where TStep : struct, IHalfStep
    {
        if (query.Length != halves.Length)
        {
            throw new ArgumentException($"The query has {query.Length} components and the code {halves.Length}.", nameof(halves));
        }
        int n = query.Length;
        int i = 0;
        float sum = 0f;
        if (Avx2.IsSupported && Fma.IsSupported && n >= 16)
        {
            ref float q = ref MemoryMarshal.GetReference(query);
            ref ushort h = ref Unsafe.As<Half, ushort>(ref MemoryMarshal.GetReference(halves));
            Vector256<float> acc0 = Vector256<float>.Zero;
            Vector256<float> acc1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                acc0 = TStep.Step(acc0, Vector256.LoadUnsafe(ref q, (nuint)i), WidenHalves(Vector128.LoadUnsafe(ref h, (nuint)i)));
                acc1 = TStep.Step(acc1, Vector256.LoadUnsafe(ref q, (nuint)(i + 8)), WidenHalves(Vector128.LoadUnsafe(ref h, (nuint)(i + 8))));
            }
            sum = Vector256.Sum(acc0 + acc1);
        }
        for (; i < n; i++)
        {
            sum = TStep.Step(sum, query[i], (float)halves[i]);
        }
        return sum;
    }

    /// <summary>2^112: rebiases a half's exponent (15) to a float's (127).</summary>
    private static readonly Vector256<float> HalfExponentRebias = Vector256.Create(BitConverter.Int32BitsToSingle((127 + 112) << 23));

    /// <summary>Widens 8 finite halves to float32 exactly (see <see cref="HalfKernel{TStep}"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> WidenHalves(Vector128<ushort> halves)
    {
        Vector256<int> bits = Avx2.ConvertToVector256Int32(halves);
        Vector256<int> sign = (bits & Vector256.Create(0x8000)) << 16;
        Vector256<float> magnitude = ((bits & Vector256.Create(0x7FFF)) << 13).AsSingle() * HalfExponentRebias;
        return (magnitude.AsInt32() | sign).AsSingle();
    }
}
