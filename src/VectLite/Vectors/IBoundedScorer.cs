namespace VectLite.Vectors;

/// <summary>
/// A scorer that can stop early: it only needs to be exact for vectors that beat a floor. A graph search
/// knows the score a neighbour must beat (the worst result kept), and most neighbours it scores do not
/// beat it; for L2 and L1 it can stop reading such a vector once the partial distance already loses.
/// </summary>
internal interface IBoundedScorer : IVectorScorer
{
    /// <summary>
    /// Returns <see cref="IVectorScorer.Score"/> of the pair, bit for bit, when that score is above
    /// <paramref name="floor"/>; otherwise some value at most <paramref name="floor"/>. A floor of negative
    /// infinity asks for the exact score.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    static abstract float ScoreAbove(ReadOnlySpan<float> query, ReadOnlySpan<float> vector, float floor);
}
