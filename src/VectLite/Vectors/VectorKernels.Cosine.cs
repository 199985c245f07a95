using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace VectLite.Vectors;

// The cosine kernel: the engine stores cosine vectors as the caller wrote them (not normalised), so a cosine
// score needs the vector's norm as well as the dot product. One pass computes both.
internal static partial class VectorKernels
{
    /// <summary>
    /// Returns the cosine similarity of <paramref name="unitQuery"/>, which must have unit length, and
    /// <paramref name="vector"/>, of any nonzero length: <c>dot(q, v) / |v|</c>.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The dot product and the squared norm of <paramref name="vector"/> come from one pass
    /// (<see cref="DotAndSumOfSquares"/>): the loop is bound by loading the vector, and the second
    /// multiply-add per component rides along on data already in registers.
    /// </para>
    /// <para>
    /// A vector whose squared norm single precision cannot hold (components near 1e-20 or 1e20; zero or
    /// infinite sum) is scored again in double precision, so every finite nonzero vector gets its true
    /// cosine; the check is one compare that real embeddings never fail. A zero vector gives NaN (the engine
    /// refuses them), and so do NaN or infinite components.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float CosineToUnit(ReadOnlySpan<float> unitQuery, ReadOnlySpan<float> vector)
    {
        float dot = DotAndSumOfSquares(unitQuery, vector, out float sumOfSquares);

        // Above MinFastSumOfSquares a square that underflowed cannot matter, and a finite sum means no
        // square overflowed; then |dot| <= |v| is finite too.
        if (sumOfSquares >= MinFastSumOfSquares && sumOfSquares <= float.MaxValue)
        {
            return dot / MathF.Sqrt(sumOfSquares);
        }

        return CosineToUnitInDouble(unitQuery, vector);
    }

    /// <summary>
    /// Returns the dot product of <paramref name="a"/> and <paramref name="b"/> and, in
    /// <paramref name="sumOfSquares"/>, the sum of the squares of <paramref name="b"/>'s components, in one pass.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float DotAndSumOfSquares(ReadOnlySpan<float> a, ReadOnlySpan<float> b, out float sumOfSquares)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        ref float x = ref MemoryMarshal.GetReference(a);
        ref float y = ref MemoryMarshal.GetReference(b);
        nuint length = (nuint)a.Length;

        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return DotAndSumOfSquares512(ref x, ref y, length, out sumOfSquares);
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return DotAndSumOfSquares256(ref x, ref y, length, out sumOfSquares);
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return DotAndSumOfSquares128(ref x, ref y, length, out sumOfSquares);
        }

        return DotAndSumOfSquaresScalar(a, b, out sumOfSquares);
    }

    /// <summary>Scalar reference twin of <see cref="DotAndSumOfSquares"/>: a plain sequential loop.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    internal static float DotAndSumOfSquaresScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, out float sumOfSquares)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        float dot = 0f;
        float squares = 0f;
        for (int i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            squares += b[i] * b[i];
        }

        sumOfSquares = squares;
        return dot;
    }

    /// <summary>
    /// The Vector512 body of <see cref="DotAndSumOfSquares"/>, laid out like <see cref="Reduce512{TOp, TLimit}"/>:
    /// four accumulator pairs, up to three single vectors, a masked overlapping tail. Internal so the tests
    /// can hold every width equal to the scalar twin.
    /// </summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector512&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float DotAndSumOfSquares512(ref float x, ref float y, nuint length, out float sumOfSquares)
    {
        Debug.Assert(length >= (nuint)Vector512<float>.Count, "DotAndSumOfSquares512 needs at least one full vector; the dispatcher should have picked a narrower width.");
        nuint n = (nuint)Vector512<float>.Count;

        Vector512<float> dot0 = Vector512<float>.Zero, dot1 = Vector512<float>.Zero, dot2 = Vector512<float>.Zero, dot3 = Vector512<float>.Zero;
        Vector512<float> sq0 = Vector512<float>.Zero, sq1 = Vector512<float>.Zero, sq2 = Vector512<float>.Zero, sq3 = Vector512<float>.Zero;
        nuint i = 0;

        // Eight independent chains: two fused multiply-adds per loaded vector, each with a latency of
        // about four cycles.
        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                Vector512<float> v0 = Vector512.LoadUnsafe(ref y, i);
                Vector512<float> v1 = Vector512.LoadUnsafe(ref y, i + n);
                Vector512<float> v2 = Vector512.LoadUnsafe(ref y, i + 2 * n);
                Vector512<float> v3 = Vector512.LoadUnsafe(ref y, i + 3 * n);
                dot0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i), v0, dot0);
                dot1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i + n), v1, dot1);
                dot2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i + 2 * n), v2, dot2);
                dot3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i + 3 * n), v3, dot3);
                sq0 = Vector512.MultiplyAddEstimate(v0, v0, sq0);
                sq1 = Vector512.MultiplyAddEstimate(v1, v1, sq1);
                sq2 = Vector512.MultiplyAddEstimate(v2, v2, sq2);
                sq3 = Vector512.MultiplyAddEstimate(v3, v3, sq3);
                i += 4 * n;
            }
            while (i <= last);
        }

        // Up to three full vectors remain; give each its own accumulator pair.
        if (i + n <= length)
        {
            Vector512<float> v = Vector512.LoadUnsafe(ref y, i);
            dot0 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i), v, dot0);
            sq0 = Vector512.MultiplyAddEstimate(v, v, sq0);
            i += n;
            if (i + n <= length)
            {
                v = Vector512.LoadUnsafe(ref y, i);
                dot1 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i), v, dot1);
                sq1 = Vector512.MultiplyAddEstimate(v, v, sq1);
                i += n;
                if (i + n <= length)
                {
                    v = Vector512.LoadUnsafe(ref y, i);
                    dot2 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, i), v, dot2);
                    sq2 = Vector512.MultiplyAddEstimate(v, v, sq2);
                    i += n;
                }
            }
        }

        // The tail: the last full vector again, with the lanes already counted zeroed.
        if (i != length)
        {
            nuint start = length - n;
            Vector512<float> fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create((int)(i - start))).AsSingle();
            Vector512<float> v = Vector512.LoadUnsafe(ref y, start) & fresh;
            dot3 = Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref x, start) & fresh, v, dot3);
            sq3 = Vector512.MultiplyAddEstimate(v, v, sq3);
        }

        Vector512<float> dot = (dot0 + dot1) + (dot2 + dot3);
        Vector512<float> sq = (sq0 + sq1) + (sq2 + sq3);
        return SumBoth(dot.GetLower() + dot.GetUpper(), sq.GetLower() + sq.GetUpper(), out sumOfSquares);
    }

    /// <summary>The Vector256 body of <see cref="DotAndSumOfSquares"/>; see <see cref="DotAndSumOfSquares512"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector256&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float DotAndSumOfSquares256(ref float x, ref float y, nuint length, out float sumOfSquares)
    {
        Debug.Assert(length >= (nuint)Vector256<float>.Count, "DotAndSumOfSquares256 needs at least one full vector; the dispatcher should have picked a narrower width.");
        nuint n = (nuint)Vector256<float>.Count;

        Vector256<float> dot0 = Vector256<float>.Zero, dot1 = Vector256<float>.Zero, dot2 = Vector256<float>.Zero, dot3 = Vector256<float>.Zero;
        Vector256<float> sq0 = Vector256<float>.Zero, sq1 = Vector256<float>.Zero, sq2 = Vector256<float>.Zero, sq3 = Vector256<float>.Zero;
        nuint i = 0;

        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                Vector256<float> v0 = Vector256.LoadUnsafe(ref y, i);
                Vector256<float> v1 = Vector256.LoadUnsafe(ref y, i + n);
                Vector256<float> v2 = Vector256.LoadUnsafe(ref y, i + 2 * n);
                Vector256<float> v3 = Vector256.LoadUnsafe(ref y, i + 3 * n);
                dot0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i), v0, dot0);
                dot1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i + n), v1, dot1);
                dot2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i + 2 * n), v2, dot2);
                dot3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i + 3 * n), v3, dot3);
                sq0 = Vector256.MultiplyAddEstimate(v0, v0, sq0);
                sq1 = Vector256.MultiplyAddEstimate(v1, v1, sq1);
                sq2 = Vector256.MultiplyAddEstimate(v2, v2, sq2);
                sq3 = Vector256.MultiplyAddEstimate(v3, v3, sq3);
                i += 4 * n;
            }
            while (i <= last);
        }

        if (i + n <= length)
        {
            Vector256<float> v = Vector256.LoadUnsafe(ref y, i);
            dot0 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i), v, dot0);
            sq0 = Vector256.MultiplyAddEstimate(v, v, sq0);
            i += n;
            if (i + n <= length)
            {
                v = Vector256.LoadUnsafe(ref y, i);
                dot1 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i), v, dot1);
                sq1 = Vector256.MultiplyAddEstimate(v, v, sq1);
                i += n;
                if (i + n <= length)
                {
                    v = Vector256.LoadUnsafe(ref y, i);
                    dot2 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, i), v, dot2);
                    sq2 = Vector256.MultiplyAddEstimate(v, v, sq2);
                    i += n;
                }
            }
        }

        if (i != length)
        {
            nuint start = length - n;
            Vector256<float> fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create((int)(i - start))).AsSingle();
            Vector256<float> v = Vector256.LoadUnsafe(ref y, start) & fresh;
            dot3 = Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref x, start) & fresh, v, dot3);
            sq3 = Vector256.MultiplyAddEstimate(v, v, sq3);
        }

        return SumBoth((dot0 + dot1) + (dot2 + dot3), (sq0 + sq1) + (sq2 + sq3), out sumOfSquares);
    }

    /// <summary>The Vector128 body of <see cref="DotAndSumOfSquares"/>; see <see cref="DotAndSumOfSquares512"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector128&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float DotAndSumOfSquares128(ref float x, ref float y, nuint length, out float sumOfSquares)
    {
        Debug.Assert(length >= (nuint)Vector128<float>.Count, "DotAndSumOfSquares128 needs at least one full vector; the dispatcher should have picked the scalar path.");
        nuint n = (nuint)Vector128<float>.Count;

        Vector128<float> dot0 = Vector128<float>.Zero, dot1 = Vector128<float>.Zero, dot2 = Vector128<float>.Zero, dot3 = Vector128<float>.Zero;
        Vector128<float> sq0 = Vector128<float>.Zero, sq1 = Vector128<float>.Zero, sq2 = Vector128<float>.Zero, sq3 = Vector128<float>.Zero;
        nuint i = 0;

        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                Vector128<float> v0 = Vector128.LoadUnsafe(ref y, i);
                Vector128<float> v1 = Vector128.LoadUnsafe(ref y, i + n);
                Vector128<float> v2 = Vector128.LoadUnsafe(ref y, i + 2 * n);
                Vector128<float> v3 = Vector128.LoadUnsafe(ref y, i + 3 * n);
                dot0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i), v0, dot0);
                dot1 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i + n), v1, dot1);
                dot2 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i + 2 * n), v2, dot2);
                dot3 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i + 3 * n), v3, dot3);
                sq0 = Vector128.MultiplyAddEstimate(v0, v0, sq0);
                sq1 = Vector128.MultiplyAddEstimate(v1, v1, sq1);
                sq2 = Vector128.MultiplyAddEstimate(v2, v2, sq2);
                sq3 = Vector128.MultiplyAddEstimate(v3, v3, sq3);
                i += 4 * n;
            }
            while (i <= last);
        }

        if (i + n <= length)
        {
            Vector128<float> v = Vector128.LoadUnsafe(ref y, i);
            dot0 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i), v, dot0);
            sq0 = Vector128.MultiplyAddEstimate(v, v, sq0);
            i += n;
            if (i + n <= length)
            {
                v = Vector128.LoadUnsafe(ref y, i);
                dot1 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i), v, dot1);
                sq1 = Vector128.MultiplyAddEstimate(v, v, sq1);
                i += n;
                if (i + n <= length)
                {
                    v = Vector128.LoadUnsafe(ref y, i);
                    dot2 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, i), v, dot2);
                    sq2 = Vector128.MultiplyAddEstimate(v, v, sq2);
                    i += n;
                }
            }
        }

        if (i != length)
        {
            nuint start = length - n;
            Vector128<float> fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create((int)(i - start))).AsSingle();
            Vector128<float> v = Vector128.LoadUnsafe(ref y, start) & fresh;
            dot3 = Vector128.MultiplyAddEstimate(Vector128.LoadUnsafe(ref x, start) & fresh, v, dot3);
            sq3 = Vector128.MultiplyAddEstimate(v, v, sq3);
        }

        return SumBoth((dot0 + dot1) + (dot2 + dot3), (sq0 + sq1) + (sq2 + sq3), out sumOfSquares);
    }

    /// <summary>
    /// Returns <c>1 / |v|</c> when <paramref name="v"/>'s squared norm lies in [1e-30, 1e30], else 0. In that range
    /// <c>CosineToUnit(v, w) / |v|</c> is the cosine of <paramref name="v"/> and any finite nonzero
    /// <c>w</c> to single-precision accuracy: <c>|v|</c> is at most 1e15, so the dot product with a vector whose
    /// squared norm single precision holds stays below 2e34, and at least 1e-15, so the terms that matter are far
    /// above the subnormal range. Outside it the caller uses <see cref="CosineInDouble"/>.
    /// </summary>
    internal static float ScalableInverseNorm(ReadOnlySpan<float> v)
    {
        float sumOfSquares = SumOfSquares(v);
        return sumOfSquares >= MinFastSumOfSquares && sumOfSquares <= MaxScalableSumOfSquares ? 1f / MathF.Sqrt(sumOfSquares) : 0f;
    }

    /// <summary>
    /// Returns the cosine similarity of <paramref name="a"/> and <paramref name="b"/>, both of any nonzero length,
    /// computed in double precision: the slow path for vectors with extreme norms. NaN when either is zero.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    internal static float CosineInDouble(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
        {
            ThrowLengthMismatch(a.Length, b.Length);
        }

        double dot = 0d, aa = 0d, bb = 0d;
        for (int i = 0; i < a.Length; i++)
        {
            double x = a[i];
            double y = b[i];
            dot += x * y;
            aa += x * x;
            bb += y * y;
        }

        return (float)(dot / (Math.Sqrt(aa) * Math.Sqrt(bb)));
    }

    /// <summary>The largest squared norm <see cref="ScalableInverseNorm"/> accepts.</summary>
    private const float MaxScalableSumOfSquares = 1e30f;

    /// <summary>Sums the lanes of <paramref name="a"/> (returned) and of <paramref name="b"/> (in <paramref name="sumOfB"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumBoth(Vector256<float> a, Vector256<float> b, out float sumOfB) =>
        SumBoth(a.GetLower() + a.GetUpper(), b.GetLower() + b.GetUpper(), out sumOfB);

    /// <summary>
    /// Sums the lanes of <paramref name="a"/> (returned) and of <paramref name="b"/> (in <paramref name="sumOfB"/>),
    /// the two reductions sharing their shuffles: a row's score needs both, and two separate horizontal sums
    /// cost about as many instructions as the loop over a few hundred floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SumBoth(Vector128<float> a, Vector128<float> b, out float sumOfB)
    {
        if (Sse.IsSupported)
        {
            // [a0 + a2, a1 + a3, b0 + b2, b1 + b3], then each pair added to its neighbour.
            Vector128<float> pairs = Sse.Shuffle(a, b, 0b01_00_01_00) + Sse.Shuffle(a, b, 0b11_10_11_10);
            Vector128<float> sums = pairs + Sse.Shuffle(pairs, pairs, 0b10_11_00_01);
            sumOfB = sums.GetElement(2);
            return sums.ToScalar();
        }

        sumOfB = Vector128.Sum(b);
        return Vector128.Sum(a);
    }

    /// <summary>
    /// The slow path of <see cref="CosineToUnit"/> for vectors whose squared norm single precision cannot
    /// hold: dot product and norm in double, where no square of a float underflows or overflows.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static float CosineToUnitInDouble(ReadOnlySpan<float> unitQuery, ReadOnlySpan<float> vector)
    {
        double dot = 0d;
        double squares = 0d;
        for (int i = 0; i < vector.Length; i++)
        {
            double v = vector[i];
            dot += unitQuery[i] * v;
            squares += v * v;
        }

        return (float)(dot / Math.Sqrt(squares));
    }
}
