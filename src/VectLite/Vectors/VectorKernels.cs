using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace VectLite.Vectors;

/// <summary>
/// The distance kernels every index and scan is built on: dot product, squared Euclidean distance,
/// Manhattan distance, sum of squares, the cosine kernel (dot product and norm in one pass), plus
/// normalisation (of queries) and the finiteness and nonzero checks.
/// </summary>
/// <remarks>
/// <para>
/// Each kernel picks the widest vector width the machine accelerates (Vector512, then Vector256, then
/// Vector128, then scalar), runs four independent accumulators so the latency of the fused multiply-add
/// is hidden, and finishes with one masked vector that overlaps the last full one instead of a scalar
/// tail. Each kernel has a scalar reference twin (<c>DotScalar</c>, ...) that the tests hold equal to
/// it within floating-point reassociation error.
/// </para>
/// <para>
/// NaN behaviour: the kernels do not check their inputs; a NaN or infinite component makes the result
/// NaN or infinite, as IEEE arithmetic dictates. The engine rejects such vectors at its edge with
/// <see cref="AllFinite"/>.
/// </para>
/// <para>
/// The width bodies (<c>Reduce512</c>, <c>DotAndSumOfSquares512</c>, ...) are too large to inline and are compiled fully
/// optimised on first call (<see cref="MethodImplOptions.AggressiveOptimization"/>) instead of tiering up: a graph
/// build starts calling them millions of times at once, and until tiered compilation replaced their first, unoptimised
/// code (with the vector operation a call of its own), the start of every build ran on it. Measured on 10,000 x 384
/// (one thread, the kernels' and the graph heaps' attributes together, alternating processes): 2.37 s -> 2.17 s
/// (median of 5). Searches that have warmed up run the same code either way; these bodies have no branch profile
/// worth collecting.
/// </para>
/// <para>Thread safety: every member is a pure function of its arguments.</para>
/// </remarks>
internal static partial class VectorKernels
{
    /// <summary>Returns the dot product of <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        return Reduce<DotOp>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length);
    }

    /// <summary>Returns the squared Euclidean distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L2Squared(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        return Reduce<L2SquaredOp>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length);
    }

    /// <summary>Returns the Manhattan (L1) distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        return Reduce<L1Op>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length);
    }

    /// <summary>
    /// Returns <see cref="L2Squared"/> of <paramref name="a"/> and <paramref name="b"/> when it is below
    /// <paramref name="limit"/>, bit for bit; otherwise some value at least <paramref name="limit"/>, possibly
    /// a partial sum taken before the end of the vectors: an index that only needs distances below a bound
    /// stops reading a vector that cannot make it.
    /// </summary>
    /// <remarks>
    /// Sound because every term is non-negative and float addition is monotone, so a partial sum never
    /// exceeds the full one. A NaN component makes the result NaN, as in <see cref="L2Squared"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L2SquaredWithin(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float limit)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        return ReduceWithin<L2SquaredOp>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length, limit);
    }

    /// <summary>
    /// Returns <see cref="L1"/> of <paramref name="a"/> and <paramref name="b"/> when it is below
    /// <paramref name="limit"/>, bit for bit; otherwise some value at least <paramref name="limit"/>
    /// (see <see cref="L2SquaredWithin"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float L1Within(ReadOnlySpan<float> a, ReadOnlySpan<float> b, float limit)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        return ReduceWithin<L1Op>(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), (nuint)a.Length, limit);
    }

    /// <summary>Returns the sum of the squares of the components of <paramref name="a"/> (the squared L2 norm).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SumOfSquares(ReadOnlySpan<float> a)
    {
        // The dot kernel with both operands on the same memory: the second load hits L1, and one kernel
        // less means one kernel less to keep equal to its twin.
        ref float x = ref MemoryMarshal.GetReference(a);
        return Reduce<DotOp>(ref x, ref x, (nuint)a.Length);
    }

    /// <summary>Scalar reference twin of <see cref="Dot"/>: a plain sequential loop.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    internal static float DotScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Scalar reference twin of <see cref="L2Squared"/>: a plain sequential loop.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    internal static float L2SquaredScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            float d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    /// <summary>Scalar reference twin of <see cref="L1"/>: a plain sequential loop.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    internal static float L1Scalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            sum += MathF.Abs(a[i] - b[i]);
        }

        return sum;
    }

    /// <summary>Scalar reference twin of <see cref="SumOfSquares"/>: a plain sequential loop.</summary>
    internal static float SumOfSquaresScalar(ReadOnlySpan<float> a)
    {
        float sum = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * a[i];
        }

        return sum;
    }

    /// <summary>
    /// Scales <paramref name="v"/> in place to unit Euclidean length. Returns <see langword="false"/>,
    /// leaving <paramref name="v"/> unchanged, when its norm is zero or not finite (NaN or infinite
    /// components, or an empty span).
    /// </summary>
    /// <remarks>
    /// Vectors whose squared norm underflows or overflows single precision (components near 1e-20 or
    /// 1e20) are normalised through double precision, so they still come out at unit length.
    /// </remarks>
    internal static bool TryNormalize(Span<float> v)
    {
        float sumOfSquares = SumOfSquares(v);

        // The fast path needs a finite squared norm well above the subnormal range: there, squares that
        // underflowed cannot matter (each is off by at most 2^-149) and the reciprocal cannot overflow.
        if (sumOfSquares >= MinFastSumOfSquares && float.IsFinite(sumOfSquares))
        {
            Scale(v, 1f / MathF.Sqrt(sumOfSquares));
            return true;
        }

        return TryNormalizeInDouble(v);
    }

    /// <summary>
    /// Returns <see langword="true"/> when some component of <paramref name="v"/> is not zero (the vector has a
    /// direction). Tiny components whose squares underflow single precision still count.
    /// </summary>
    internal static bool HasNonZero(ReadOnlySpan<float> v)
    {
        // The sum of squares answers for almost every vector in one vector pass; only a sum that is not
        // positive (all zeros, every square underflowed, or a NaN, which the engine refuses before this)
        // needs the components themselves.
        if (SumOfSquares(v) > 0f)
        {
            return true;
        }

        foreach (float f in v)
        {
            if (f != 0f)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Returns <see langword="true"/> when every component of <paramref name="v"/> is finite (neither
    /// NaN nor infinite). An empty span is all finite.
    /// </summary>
    internal static bool AllFinite(ReadOnlySpan<float> v)
    {
        ref float x = ref MemoryMarshal.GetReference(v);
        nuint length = (nuint)v.Length;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return AllFinite512(ref x, length);
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return AllFinite256(ref x, length);
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return AllFinite128(ref x, length);
        }

        return AllFiniteScalar(v);
    }

    /// <summary>Scalar reference twin of <see cref="AllFinite"/>.</summary>
    internal static bool AllFiniteScalar(ReadOnlySpan<float> v)
    {
        foreach (float f in v)
        {
            if (!float.IsFinite(f))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The smallest squared norm <see cref="TryNormalize"/> trusts to single precision.</summary>
    private const float MinFastSumOfSquares = 1e-30f;

    /// <summary>Multiplies every component of <paramref name="v"/> by <paramref name="factor"/> in place.</summary>
    private static void Scale(Span<float> v, float factor)
    {
        ref float x = ref MemoryMarshal.GetReference(v);
        nuint length = (nuint)v.Length;
        nuint i = 0;

        // Each width computes its overlapping last vector from the original values before the loop
        // writes anything, then stores it last: the overlap is written twice with the same value.
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            nuint n = (nuint)Vector512<float>.Count;
            Vector512<float> f = Vector512.Create(factor);
            Vector512<float> end = Vector512.LoadUnsafe(ref x, length - n) * f;
            for (; i + n <= length; i += n)
            {
                (Vector512.LoadUnsafe(ref x, i) * f).StoreUnsafe(ref x, i);
            }

            end.StoreUnsafe(ref x, length - n);
            return;
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            nuint n = (nuint)Vector256<float>.Count;
            Vector256<float> f = Vector256.Create(factor);
            Vector256<float> end = Vector256.LoadUnsafe(ref x, length - n) * f;
            for (; i + n <= length; i += n)
            {
                (Vector256.LoadUnsafe(ref x, i) * f).StoreUnsafe(ref x, i);
            }

            end.StoreUnsafe(ref x, length - n);
            return;
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            nuint n = (nuint)Vector128<float>.Count;
            Vector128<float> f = Vector128.Create(factor);
            Vector128<float> end = Vector128.LoadUnsafe(ref x, length - n) * f;
            for (; i + n <= length; i += n)
            {
                (Vector128.LoadUnsafe(ref x, i) * f).StoreUnsafe(ref x, i);
            }

            end.StoreUnsafe(ref x, length - n);
            return;
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref x, i) *= factor;
        }
    }

    /// <summary>The slow path of <see cref="TryNormalize"/> for norms single precision cannot square.</summary>
    private static bool TryNormalizeInDouble(Span<float> v)
    {
        double sum = 0d;
        foreach (float f in v)
        {
            sum += (double)f * f;
        }

        double norm = Math.Sqrt(sum);
        if (norm == 0d || !double.IsFinite(norm))
        {
            return false;
        }

        // Divide rather than multiply by the reciprocal: for tiny vectors 1/norm overflows a float, and
        // the division keeps the last bit right.
        for (int i = 0; i < v.Length; i++)
        {
            v[i] = (float)(v[i] / norm);
        }

        return true;
    }

    [DoesNotReturn]
    private static void ThrowLengthMismatch(int a, int b) =>
        throw new ArgumentException($"The vectors differ in length ({a} and {b}); a distance needs equal lengths.");
}
