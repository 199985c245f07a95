using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VectLite.Vectors;

/// <summary>
/// The kernels quantized SQ8 search runs on: a float query against 8-bit codes (asymmetric). The vector kernel has a
/// scalar reference twin the tests hold it equal to. (Binary codes are scored through a per-query byte table, in
/// <c>BinaryRowScorer</c>.)
/// </summary>
/// <remarks>
/// <para>Why a weighted dot product covers SQ8 for every metric: a code byte <c>c</c> stands for
/// <c>min + c * step</c>, so <c>q . x = sum(q * min) + sum((q * step) * c)</c>. The first sum is one number per query;
/// the second is this kernel with weights <c>q * step</c> prepared once per query. L2 then needs only the decoded
/// vector's squared norm, stored with each code (see <c>Sq8Codec</c>).</para>
/// <para>Thread safety: every member is a pure function of its arguments.</para>
/// </remarks>
internal static class CodeKernels
{
    /// <summary>Returns <c>sum(weights[i] * codes[i])</c>, the codes read as unsigned integers.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DotBytes(ReadOnlySpan<float> weights, ReadOnlySpan<byte> codes)
    {
        if (weights.Length != codes.Length)
        {
            throw new ArgumentException($"The weights have {weights.Length} components and the code {codes.Length}.", nameof(codes));
        }

        int n = weights.Length;
        int i = 0;
        float sum = 0f;
        if (Avx2.IsSupported && Fma.IsSupported && n >= 16)
        {
            ref float w = ref MemoryMarshal.GetReference(weights);
            ref byte c = ref MemoryMarshal.GetReference(codes);
            Vector256<float> acc0 = Vector256<float>.Zero;
            Vector256<float> acc1 = Vector256<float>.Zero;
            for (; i <= n - 16; i += 16)
            {
                // 16 bytes -> two vectors of 8 int32 (zero-extended) -> float; the JIT emits vpmovzxbd + vcvtdq2ps.
                Vector128<byte> bytes = Vector128.LoadUnsafe(ref c, (nuint)i);
                Vector256<float> lo = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
                Vector256<float> hi = Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(Sse2.ShiftRightLogical128BitLane(bytes, 8)));
                acc0 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)i), lo, acc0);
                acc1 = Fma.MultiplyAdd(Vector256.LoadUnsafe(ref w, (nuint)(i + 8)), hi, acc1);
            }

            sum = Vector256.Sum(acc0 + acc1);
        }

        for (; i < n; i++)
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

    /// <summary>The scalar twin of <see cref="DotBytes"/>, in double precision: the reference the tests compare with.</summary>
    internal static double DotBytesScalar(ReadOnlySpan<float> weights, ReadOnlySpan<byte> codes)
    {
        double sum = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            sum += (double)weights[i] * codes[i];
        }

        return sum;
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
}
