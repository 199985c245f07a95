namespace VectLite.Vectors;

/// <summary>
/// What an HNSW graph needs from a scorer beyond scoring a query: an insert uses a stored vector as its query,
/// and neighbour selection scores stored vectors against each other. For cosine the arena holds the caller's
/// vectors, of any length, while the score wants a unit query; these members say how to bridge that.
/// </summary>
/// <remarks>
/// Like <see cref="IVectorScorer"/>, implemented by empty structs and used as a generic argument, so every
/// member is resolved when the JIT compiles the graph's loops: for L2, L1 and dot the extra members fold away.
/// </remarks>
internal interface IGraphScorer : IBoundedScorer
{
    /// <summary>
    /// True when <see cref="IVectorScorer.Score"/> expects its query at unit length (cosine): a stored vector used
    /// as a query is then passed as a normalised copy.
    /// </summary>
    static abstract bool NeedsUnitQuery { get; }

    /// <summary>
    /// Returns what <see cref="ScoreStored"/> needs to know about a stored vector that will be compared with
    /// several others (for cosine, its inverse norm), computed once instead of once per comparison.
    /// </summary>
    static abstract float StoredFactor(ReadOnlySpan<float> vector);

    /// <summary>
    /// Returns the score between two stored vectors, <paramref name="first"/> in the place of the query: what
    /// <see cref="IVectorScorer.Score"/> gives for <paramref name="first"/> as a query in the form it expects (for
    /// cosine, the cosine similarity of the two). <paramref name="firstFactor"/> is
    /// <see cref="StoredFactor"/> of <paramref name="first"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    static abstract float ScoreStored(ReadOnlySpan<float> first, float firstFactor, ReadOnlySpan<float> second);
}
