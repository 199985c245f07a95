using System.Runtime.CompilerServices;

namespace VectLite.Vectors;

/// <summary>
/// Dot-product scoring: the score is the dot product, higher is better. Cosine has its own scorer
/// (<see cref="CosineScorer"/>): the engine stores cosine vectors as written, not at unit length.
/// </summary>
internal readonly struct DotScorer : IGraphScorer
{
    /// <summary>Returns the dot product of <paramref name="query"/> and <paramref name="vector"/>; higher is better.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) => VectorKernels.Dot(query, vector);

    /// <summary>
    /// Returns <see cref="Score"/>: a dot product's partial sums go up and down, so nothing is known before
    /// the end and the floor is not used.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScoreAbove(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float floor) => Score(query, vector);

    /// <summary>Returns <paramref name="score"/> unchanged: the user score is the dot product.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUserScore(float score) => score;

    /// <summary>False: the query is used as it is.</summary>
    public static bool NeedsUnitQuery => false;

    /// <summary>Returns 1: <see cref="ScoreStored"/> needs nothing precomputed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float StoredFactor(ReadOnlySpan<float> vector) => 1f;

    /// <summary>Returns <see cref="Score"/> of the pair: a stored vector is a query as it is.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScoreStored(ReadOnlySpan<float> first, float firstFactor, ReadOnlySpan<float> second) => Score(first, second);
}
