using System.Runtime.CompilerServices;

namespace VectLite.Vectors;

/// <summary>
/// Cosine scoring: the score is the cosine similarity, in [-1, 1], higher is better. The query must have unit
/// length (the engine normalises it once per search); the stored vectors are the caller's, of any length, so
/// each score divides the dot product by the vector's norm, both from one pass
/// (<see cref="VectorKernels.CosineToUnit"/>).
/// </summary>
/// <remarks>
/// Why not store unit vectors and score with <see cref="DotScorer"/>: a record must read back bit for bit as it
/// was written. Why not a stored inverse norm per row: it is state to keep in step with every arena write, log
/// replay and checkpoint load, and every scoring loop would need it beside the vector. The squared norm is one more
/// multiply-add per component on data already loaded: measured on Fashion-MNIST (784-d), graph searches cost 0-7%
/// more than a plain dot product over unit vectors and exact scans about 8% (bench/results/cosine-raw-vectors.md).
/// Vectors written before the engine kept raw vectors were stored at unit length, which is just one more raw vector.
/// </remarks>
internal readonly struct CosineScorer : IGraphScorer
{
    /// <summary>Returns the cosine similarity of <paramref name="query"/> (unit length) and <paramref name="vector"/>; higher is better.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) => VectorKernels.CosineToUnit(query, vector);

    /// <summary>
    /// Returns <see cref="Score"/>: the dot product's partial sums go up and down, so nothing is known before
    /// the end and the floor is not used.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScoreAbove(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float floor) => Score(query, vector);

    /// <summary>Returns <paramref name="score"/> unchanged: the user score is the cosine similarity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUserScore(float score) => score;

    /// <summary>True: <see cref="Score"/> expects a unit-length query.</summary>
    public static bool NeedsUnitQuery => true;

    /// <summary>
    /// Returns <paramref name="vector"/>'s inverse norm, or 0 when its norm is too small or too large for
    /// <see cref="ScoreStored"/>'s single-precision path (see <see cref="VectorKernels.ScalableInverseNorm"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float StoredFactor(ReadOnlySpan<float> vector) => VectorKernels.ScalableInverseNorm(vector);

    /// <summary>
    /// Returns the cosine similarity of two stored vectors: <see cref="Score"/> with <paramref name="first"/> as
    /// the query, which is <c>|first|</c> times the cosine, scaled by <paramref name="firstFactor"/> =
    /// 1 / |first|, so no unit copy of <paramref name="first"/> is made (neighbour selection compares each kept
    /// neighbour with many candidates). A factor of 0 (an extreme norm) takes the double-precision path.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScoreStored(ReadOnlySpan<float> first, float firstFactor, ReadOnlySpan<float> second) =>
        firstFactor > 0f ? VectorKernels.CosineToUnit(first, second) * firstFactor : VectorKernels.CosineInDouble(first, second);
}
