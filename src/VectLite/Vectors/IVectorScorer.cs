namespace VectLite.Vectors;

/// <summary>
/// A metric as a score where <b>higher is better</b>: the scan and the indexes rank by
/// <see cref="Score"/> descending, whatever the metric, so one top-k heap serves them all.
/// </summary>
/// <remarks>
/// Implementations are empty structs with static members, used as a generic argument
/// (<c>where TScorer : struct, IVectorScorer</c>) so the JIT specialises each scan for its metric and
/// inlines the kernel call: no virtual call, delegate or boxing on the hot path.
/// </remarks>
internal interface IVectorScorer
{
    /// <summary>
    /// Scores <paramref name="vector"/> against <paramref name="query"/>; higher is better. The spans
    /// must have equal lengths.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    static abstract float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector);

    /// <summary>
    /// Turns a <see cref="Score"/> result into the score a user sees (still higher is better), done once
    /// per result rather than once per row scanned.
    /// </summary>
    static abstract float ToUserScore(float score);
}
