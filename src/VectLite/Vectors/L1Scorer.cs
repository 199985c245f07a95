using System.Runtime.CompilerServices;

namespace VectLite.Vectors;

/// <summary>Manhattan scoring: the score is minus the L1 distance, so higher (closer to zero) is better.</summary>
internal readonly struct L1Scorer : IVectorScorer
{
    /// <summary>Returns <c>-L1(query, vector)</c>; higher is better, 0 is an exact match.</summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector) => -VectorKernels.L1(query, vector);

    /// <summary>Returns <paramref name="score"/> unchanged: the user score is minus the L1 distance.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToUserScore(float score) => score;
}
