using System.Runtime.CompilerServices;

namespace VectLite.Vectors;

/// <summary>
/// Dot-product scoring: the score is the dot product, higher is better. Also serves the cosine metric,
/// because the engine stores cosine vectors (and normalises cosine queries) at unit length, where the
/// dot product is the cosine similarity.
/// </summary>
internal readonly struct DotScorer : IBoundedScorer
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

    /// <summary>Returns <paramref name="score"/> unchanged: the user score is the dot product (or cosine similarity).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUserScore(float score) => score;
}
