using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VectLite.Vectors;

// The pairwise reductions behind Dot, L2Squared, L1 and SumOfSquares: one loop body per width,
// one operator struct per metric.
internal static partial class VectorKernels
{
    /// <summary>Picks the widest accelerated width that the length fills at least once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Reduce<TOp>(ref float x, ref float y, nuint length)
        where TOp : struct, IPairReduction
    {
        // IsHardwareAccelerated is a JIT-time constant: only one of these branches survives, and the
        // length test is one predictable compare.
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return Reduce512<TOp>(ref x, ref y, length);
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return Reduce256<TOp>(ref x, ref y, length);
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return Reduce128<TOp>(ref x, ref y, length);
        }

        return ReduceScalar<TOp>(ref x, ref y, length);
    }

    /// <summary>
    /// The number of elements between two checks of a limited reduction: 128 floats, 8 cache lines, so a
    /// check (a horizontal sum) costs little next to the loads it may save.
    /// </summary>
    internal const int LimitInterval = 128;

    /// <summary>
    /// Like <see cref="Reduce{TOp}"/>, but may stop early once the partial sum reaches <paramref name="limit"/>
    /// (see <see cref="Reduce512{TOp, TLimit}"/>). Only valid for reductions whose every step adds a
    /// non-negative amount (L2, L1), so the partial sum never exceeds the full one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ReduceWithin<TOp>(ref float x, ref float y, nuint length, float limit)
        where TOp : struct, IPairReduction
    {
        if (Vector512.IsHardwareAccelerated && length >= (nuint)Vector512<float>.Count)
        {
            return Reduce512<TOp, CheckLimit>(ref x, ref y, length, limit);
        }

        if (Vector256.IsHardwareAccelerated && length >= (nuint)Vector256<float>.Count)
        {
            return Reduce256<TOp, CheckLimit>(ref x, ref y, length, limit);
        }

        if (Vector128.IsHardwareAccelerated && length >= (nuint)Vector128<float>.Count)
        {
            return Reduce128<TOp, CheckLimit>(ref x, ref y, length, limit);
        }

        // Below one Vector128 (or without SIMD) there is too little to save.
        return ReduceScalar<TOp>(ref x, ref y, length);
    }

    /// <summary>
    /// The Vector512 body of a pairwise reduction over <paramref name="length"/> elements. Internal so
    /// the tests can hold every width equal to the scalar twin whatever width this machine prefers.
    /// </summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector512&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Reduce512<TOp>(ref float x, ref float y, nuint length)
        where TOp : struct, IPairReduction =>
        Reduce512<TOp, NoLimit>(ref x, ref y, length, float.PositiveInfinity);

    /// <summary>
    /// The Vector512 body of a pairwise reduction that, when <typeparamref name="TLimit"/> enables it, stops
    /// and returns its partial sum as soon as that sum, taken every <see cref="LimitInterval"/> elements, is
    /// at least <paramref name="limit"/>. With the check off (or never triggered) the result is bit for bit
    /// the plain reduction's: it is the same loop.
    /// </summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector512&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Reduce512<TOp, TLimit>(ref float x, ref float y, nuint length, float limit)
        where TOp : struct, IPairReduction
        where TLimit : struct, IReductionLimit
    {
        Debug.Assert(length >= (nuint)Vector512<float>.Count, "Reduce512 needs at least one full vector; the dispatcher should have picked a narrower width.");
        nuint n = (nuint)Vector512<float>.Count;

        Vector512<float> acc0 = Vector512<float>.Zero;
        Vector512<float> acc1 = Vector512<float>.Zero;
        Vector512<float> acc2 = Vector512<float>.Zero;
        Vector512<float> acc3 = Vector512<float>.Zero;
        nuint i = 0;

        // Four independent chains: an FMA has a latency of about four cycles, so one chain would stall.
        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                acc0 = TOp.Invoke(acc0, Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
                acc1 = TOp.Invoke(acc1, Vector512.LoadUnsafe(ref x, i + n), Vector512.LoadUnsafe(ref y, i + n));
                acc2 = TOp.Invoke(acc2, Vector512.LoadUnsafe(ref x, i + 2 * n), Vector512.LoadUnsafe(ref y, i + 2 * n));
                acc3 = TOp.Invoke(acc3, Vector512.LoadUnsafe(ref x, i + 3 * n), Vector512.LoadUnsafe(ref y, i + 3 * n));
                i += 4 * n;
                if (TLimit.Enabled && (i & (LimitInterval - 1)) == 0)
                {
                    float partial = Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
                    if (partial >= limit)
                    {
                        return partial;
                    }
                }
            }
            while (i <= last);
        }

        // Up to three full vectors remain; give each its own accumulator.
        if (i + n <= length)
        {
            acc0 = TOp.Invoke(acc0, Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
            i += n;
            if (i + n <= length)
            {
                acc1 = TOp.Invoke(acc1, Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
                i += n;
                if (i + n <= length)
                {
                    acc2 = TOp.Invoke(acc2, Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i));
                    i += n;
                }
            }
        }

        // The tail: reload the last full vector (it overlaps what was done) and zero the lanes already
        // counted. Zero against zero adds nothing for dot, L2 and L1 alike.
        if (i != length)
        {
            nuint start = length - n;
            Vector512<float> fresh = Vector512.GreaterThanOrEqual(Vector512<int>.Indices, Vector512.Create((int)(i - start))).AsSingle();
            acc3 = TOp.Invoke(acc3, Vector512.LoadUnsafe(ref x, start) & fresh, Vector512.LoadUnsafe(ref y, start) & fresh);
        }

        return Vector512.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    /// <summary>The Vector256 body of a pairwise reduction; see <see cref="Reduce512{TOp}"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector256&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Reduce256<TOp>(ref float x, ref float y, nuint length)
        where TOp : struct, IPairReduction =>
        Reduce256<TOp, NoLimit>(ref x, ref y, length, float.PositiveInfinity);

    /// <summary>The Vector256 body of a pairwise reduction with an optional limit; see <see cref="Reduce512{TOp, TLimit}"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector256&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Reduce256<TOp, TLimit>(ref float x, ref float y, nuint length, float limit)
        where TOp : struct, IPairReduction
        where TLimit : struct, IReductionLimit
    {
        Debug.Assert(length >= (nuint)Vector256<float>.Count, "Reduce256 needs at least one full vector; the dispatcher should have picked a narrower width.");
        nuint n = (nuint)Vector256<float>.Count;

        Vector256<float> acc0 = Vector256<float>.Zero;
        Vector256<float> acc1 = Vector256<float>.Zero;
        Vector256<float> acc2 = Vector256<float>.Zero;
        Vector256<float> acc3 = Vector256<float>.Zero;
        nuint i = 0;

        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                acc0 = TOp.Invoke(acc0, Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
                acc1 = TOp.Invoke(acc1, Vector256.LoadUnsafe(ref x, i + n), Vector256.LoadUnsafe(ref y, i + n));
                acc2 = TOp.Invoke(acc2, Vector256.LoadUnsafe(ref x, i + 2 * n), Vector256.LoadUnsafe(ref y, i + 2 * n));
                acc3 = TOp.Invoke(acc3, Vector256.LoadUnsafe(ref x, i + 3 * n), Vector256.LoadUnsafe(ref y, i + 3 * n));
                i += 4 * n;
                if (TLimit.Enabled && (i & (LimitInterval - 1)) == 0)
                {
                    float partial = Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
                    if (partial >= limit)
                    {
                        return partial;
                    }
                }
            }
            while (i <= last);
        }

        if (i + n <= length)
        {
            acc0 = TOp.Invoke(acc0, Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
            i += n;
            if (i + n <= length)
            {
                acc1 = TOp.Invoke(acc1, Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
                i += n;
                if (i + n <= length)
                {
                    acc2 = TOp.Invoke(acc2, Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i));
                    i += n;
                }
            }
        }

        if (i != length)
        {
            nuint start = length - n;
            Vector256<float> fresh = Vector256.GreaterThanOrEqual(Vector256<int>.Indices, Vector256.Create((int)(i - start))).AsSingle();
            acc3 = TOp.Invoke(acc3, Vector256.LoadUnsafe(ref x, start) & fresh, Vector256.LoadUnsafe(ref y, start) & fresh);
        }

        return Vector256.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    /// <summary>The Vector128 body of a pairwise reduction; see <see cref="Reduce512{TOp}"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector128&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Reduce128<TOp>(ref float x, ref float y, nuint length)
        where TOp : struct, IPairReduction =>
        Reduce128<TOp, NoLimit>(ref x, ref y, length, float.PositiveInfinity);

    /// <summary>The Vector128 body of a pairwise reduction with an optional limit; see <see cref="Reduce512{TOp, TLimit}"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector128&lt;float&gt;.Count</c>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static float Reduce128<TOp, TLimit>(ref float x, ref float y, nuint length, float limit)
        where TOp : struct, IPairReduction
        where TLimit : struct, IReductionLimit
    {
        Debug.Assert(length >= (nuint)Vector128<float>.Count, "Reduce128 needs at least one full vector; the dispatcher should have picked the scalar path.");
        nuint n = (nuint)Vector128<float>.Count;

        Vector128<float> acc0 = Vector128<float>.Zero;
        Vector128<float> acc1 = Vector128<float>.Zero;
        Vector128<float> acc2 = Vector128<float>.Zero;
        Vector128<float> acc3 = Vector128<float>.Zero;
        nuint i = 0;

        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                acc0 = TOp.Invoke(acc0, Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
                acc1 = TOp.Invoke(acc1, Vector128.LoadUnsafe(ref x, i + n), Vector128.LoadUnsafe(ref y, i + n));
                acc2 = TOp.Invoke(acc2, Vector128.LoadUnsafe(ref x, i + 2 * n), Vector128.LoadUnsafe(ref y, i + 2 * n));
                acc3 = TOp.Invoke(acc3, Vector128.LoadUnsafe(ref x, i + 3 * n), Vector128.LoadUnsafe(ref y, i + 3 * n));
                i += 4 * n;
                if (TLimit.Enabled && (i & (LimitInterval - 1)) == 0)
                {
                    float partial = Vector128.Sum((acc0 + acc1) + (acc2 + acc3));
                    if (partial >= limit)
                    {
                        return partial;
                    }
                }
            }
            while (i <= last);
        }

        if (i + n <= length)
        {
            acc0 = TOp.Invoke(acc0, Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
            i += n;
            if (i + n <= length)
            {
                acc1 = TOp.Invoke(acc1, Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
                i += n;
                if (i + n <= length)
                {
                    acc2 = TOp.Invoke(acc2, Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i));
                    i += n;
                }
            }
        }

        if (i != length)
        {
            nuint start = length - n;
            Vector128<float> fresh = Vector128.GreaterThanOrEqual(Vector128<int>.Indices, Vector128.Create((int)(i - start))).AsSingle();
            acc3 = TOp.Invoke(acc3, Vector128.LoadUnsafe(ref x, start) & fresh, Vector128.LoadUnsafe(ref y, start) & fresh);
        }

        return Vector128.Sum((acc0 + acc1) + (acc2 + acc3));
    }

    /// <summary>The scalar body of a pairwise reduction, for lengths below one Vector128 or machines without SIMD.</summary>
    internal static float ReduceScalar<TOp>(ref float x, ref float y, nuint length)
        where TOp : struct, IPairReduction
    {
        float acc = 0f;
        for (nuint i = 0; i < length; i++)
        {
            acc = TOp.Invoke(acc, Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
        }

        return acc;
    }

    /// <summary>
    /// One step of a pairwise reduction (<c>acc = acc + f(x, y)</c>) at every width, so one loop body per
    /// width serves every metric. Implementations are empty structs: the JIT specialises and inlines them.
    /// </summary>
    internal interface IPairReduction
    {
        /// <summary>One scalar step.</summary>
        static abstract float Invoke(float acc, float x, float y);

        /// <summary>One Vector128 step.</summary>
        static abstract Vector128<float> Invoke(Vector128<float> acc, Vector128<float> x, Vector128<float> y);

        /// <summary>One Vector256 step.</summary>
        static abstract Vector256<float> Invoke(Vector256<float> acc, Vector256<float> x, Vector256<float> y);

        /// <summary>One Vector512 step.</summary>
        static abstract Vector512<float> Invoke(Vector512<float> acc, Vector512<float> x, Vector512<float> y);
    }

    /// <summary>
    /// Whether a reduction checks a limit. A struct type argument, so the JIT compiles the check in or out
    /// and the unlimited reductions pay nothing for it.
    /// </summary>
    internal interface IReductionLimit
    {
        /// <summary>True when the reduction checks its limit.</summary>
        static abstract bool Enabled { get; }
    }

    /// <summary>The reduction runs to the end.</summary>
    internal readonly struct NoLimit : IReductionLimit
    {
        /// <inheritdoc/>
        public static bool Enabled => false;
    }

    /// <summary>The reduction stops once its partial sum reaches the limit.</summary>
    internal readonly struct CheckLimit : IReductionLimit
    {
        /// <inheritdoc/>
        public static bool Enabled => true;
    }

    /// <summary><c>acc + x * y</c>, fused where the hardware has FMA.</summary>
    internal readonly struct DotOp : IPairReduction
    {
        /// <inheritdoc/>
        public static float Invoke(float acc, float x, float y) => acc + (x * y);

        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> acc, Vector128<float> x, Vector128<float> y) =>
            Vector128.MultiplyAddEstimate(x, y, acc);

        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> acc, Vector256<float> x, Vector256<float> y) =>
            Vector256.MultiplyAddEstimate(x, y, acc);

        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> acc, Vector512<float> x, Vector512<float> y) =>
            Vector512.MultiplyAddEstimate(x, y, acc);
    }

    /// <summary><c>acc + (x - y)^2</c>, fused where the hardware has FMA.</summary>
    internal readonly struct L2SquaredOp : IPairReduction
    {
        /// <inheritdoc/>
        public static float Invoke(float acc, float x, float y)
        {
            float d = x - y;
            return acc + (d * d);
        }

        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> acc, Vector128<float> x, Vector128<float> y)
        {
            Vector128<float> d = x - y;
            return Vector128.MultiplyAddEstimate(d, d, acc);
        }

        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> acc, Vector256<float> x, Vector256<float> y)
        {
            Vector256<float> d = x - y;
            return Vector256.MultiplyAddEstimate(d, d, acc);
        }

        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> acc, Vector512<float> x, Vector512<float> y)
        {
            Vector512<float> d = x - y;
            return Vector512.MultiplyAddEstimate(d, d, acc);
        }
    }

    /// <summary><c>acc + |x - y|</c>.</summary>
    internal readonly struct L1Op : IPairReduction
    {
        /// <inheritdoc/>
        public static float Invoke(float acc, float x, float y) => acc + MathF.Abs(x - y);

        /// <inheritdoc/>
        public static Vector128<float> Invoke(Vector128<float> acc, Vector128<float> x, Vector128<float> y) =>
            acc + Vector128.Abs(x - y);

        /// <inheritdoc/>
        public static Vector256<float> Invoke(Vector256<float> acc, Vector256<float> x, Vector256<float> y) =>
            acc + Vector256.Abs(x - y);

        /// <inheritdoc/>
        public static Vector512<float> Invoke(Vector512<float> acc, Vector512<float> x, Vector512<float> y) =>
            acc + Vector512.Abs(x - y);
    }
}
