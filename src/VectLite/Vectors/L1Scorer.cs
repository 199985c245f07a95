using System.Runtime.CompilerServices;

namespace VectLite.Vectors;

/// <summary>Manhattan scoring: the score is minus the L1 distance, so higher (closer to zero) is better.</summary>
internal readonly struct L1Scorer : IGraphScorer
{
    /// <summary>Returns <c>-L1(query, vector)</c>; higher is better, 0 is an exact match.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) => -VectorKernels.L1(query, vector);

    /// <summary>
    /// Returns <see cref="Score"/> exactly when it is above <paramref name="floor"/>, otherwise a value at
    /// most <paramref name="floor"/>, stopping the distance early once it reaches <c>-floor</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ScoreAbove(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float floor) =>
        -VectorKernels.L1Within(query, vector, -floor);

    /// <summary>Returns <paramref name="score"/> unchanged: the user score is minus the L1 distance.</summary>
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
