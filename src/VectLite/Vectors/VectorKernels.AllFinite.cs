using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace VectLite.Vectors;

// The vector bodies of AllFinite.
internal static partial class VectorKernels
{
    /// <summary>The Vector512 body of <see cref="AllFinite"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector512&lt;float&gt;.Count</c>.</remarks>
    internal static bool AllFinite512(ref float x, nuint length)
    {
        Debug.Assert(length >= (nuint)Vector512<float>.Count, "AllFinite512 needs at least one full vector.");
        nuint n = (nuint)Vector512<float>.Count;
        ref uint bits = ref Unsafe.As<float, uint>(ref x);

        // A float is NaN or infinite exactly when its exponent bits are all ones. Masked exponents are
        // at most the mask, so the lane-wise maximum of four vectors reaches the mask iff one of them does.
        Vector512<uint> exponent = Vector512.Create(ExponentMask);
        nuint i = 0;
        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                Vector512<uint> m = Vector512.Max(
                    Vector512.Max(Vector512.LoadUnsafe(ref bits, i) & exponent, Vector512.LoadUnsafe(ref bits, i + n) & exponent),
                    Vector512.Max(Vector512.LoadUnsafe(ref bits, i + 2 * n) & exponent, Vector512.LoadUnsafe(ref bits, i + 3 * n) & exponent));
                if (Vector512.EqualsAny(m, exponent))
                {
                    return false;
                }

                i += 4 * n;
            }
            while (i <= last);
        }

        for (; i + n <= length; i += n)
        {
            if (Vector512.EqualsAny(Vector512.LoadUnsafe(ref bits, i) & exponent, exponent))
            {
                return false;
            }
        }

        // Checking a component twice is harmless, so the tail is the last full vector, unmasked.
        return i == length || !Vector512.EqualsAny(Vector512.LoadUnsafe(ref bits, length - n) & exponent, exponent);
    }

    /// <summary>The Vector256 body of <see cref="AllFinite"/>; see <see cref="AllFinite512"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector256&lt;float&gt;.Count</c>.</remarks>
    internal static bool AllFinite256(ref float x, nuint length)
    {
        Debug.Assert(length >= (nuint)Vector256<float>.Count, "AllFinite256 needs at least one full vector.");
        nuint n = (nuint)Vector256<float>.Count;
        ref uint bits = ref Unsafe.As<float, uint>(ref x);
        Vector256<uint> exponent = Vector256.Create(ExponentMask);
        nuint i = 0;
        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                Vector256<uint> m = Vector256.Max(
                    Vector256.Max(Vector256.LoadUnsafe(ref bits, i) & exponent, Vector256.LoadUnsafe(ref bits, i + n) & exponent),
                    Vector256.Max(Vector256.LoadUnsafe(ref bits, i + 2 * n) & exponent, Vector256.LoadUnsafe(ref bits, i + 3 * n) & exponent));
                if (Vector256.EqualsAny(m, exponent))
                {
                    return false;
                }

                i += 4 * n;
            }
            while (i <= last);
        }

        for (; i + n <= length; i += n)
        {
            if (Vector256.EqualsAny(Vector256.LoadUnsafe(ref bits, i) & exponent, exponent))
            {
                return false;
            }
        }

        return i == length || !Vector256.EqualsAny(Vector256.LoadUnsafe(ref bits, length - n) & exponent, exponent);
    }

    /// <summary>The Vector128 body of <see cref="AllFinite"/>; see <see cref="AllFinite512"/>.</summary>
    /// <remarks>Precondition: <paramref name="length"/> is at least <c>Vector128&lt;float&gt;.Count</c>.</remarks>
    internal static bool AllFinite128(ref float x, nuint length)
    {
        Debug.Assert(length >= (nuint)Vector128<float>.Count, "AllFinite128 needs at least one full vector.");
        nuint n = (nuint)Vector128<float>.Count;
        ref uint bits = ref Unsafe.As<float, uint>(ref x);
        Vector128<uint> exponent = Vector128.Create(ExponentMask);
        nuint i = 0;
        if (length >= 4 * n)
        {
            nuint last = length - 4 * n;
            do
            {
                Vector128<uint> m = Vector128.Max(
                    Vector128.Max(Vector128.LoadUnsafe(ref bits, i) & exponent, Vector128.LoadUnsafe(ref bits, i + n) & exponent),
                    Vector128.Max(Vector128.LoadUnsafe(ref bits, i + 2 * n) & exponent, Vector128.LoadUnsafe(ref bits, i + 3 * n) & exponent));
                if (Vector128.EqualsAny(m, exponent))
                {
                    return false;
                }

                i += 4 * n;
            }
            while (i <= last);
        }

        for (; i + n <= length; i += n)
        {
            if (Vector128.EqualsAny(Vector128.LoadUnsafe(ref bits, i) & exponent, exponent))
            {
                return false;
            }
        }

        return i == length || !Vector128.EqualsAny(Vector128.LoadUnsafe(ref bits, length - n) & exponent, exponent);
    }

    /// <summary>The exponent field of an IEEE 754 single: all ones means NaN or infinity.</summary>
    private const uint ExponentMask = 0x7F80_0000u;
}
