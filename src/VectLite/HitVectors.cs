namespace VectLite;

/// <summary>
/// The vectors of one <see cref="SearchHit"/>, when the search asked for them (<see cref="SearchOptions.IncludeVectors"/>):
/// the dense ones by name, the single one of a one-vector collection, the sparse ones by space name.
/// </summary>
internal sealed class HitVectors(IReadOnlyDictionary<string, ReadOnlyMemory<float>>? dense, ReadOnlyMemory<float>? single, IReadOnlyDictionary<string, SparseVector>? sparse)
{
    /// <summary>The dense vectors by name, or null.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<float>>? Dense { get; } = dense;

    /// <summary>The vector of a collection with exactly one named vector, or null.</summary>
    public ReadOnlyMemory<float>? Single { get; } = single;

    /// <summary>The sparse vectors by space name, or null.</summary>
    public IReadOnlyDictionary<string, SparseVector>? Sparse { get; } = sparse;

    /// <summary>The side object for these vectors, or null when there are none (nothing to hold).</summary>
    public static HitVectors? Of(IReadOnlyDictionary<string, ReadOnlyMemory<float>>? dense, ReadOnlyMemory<float>? single, IReadOnlyDictionary<string, SparseVector>? sparse) =>
        dense is null && single is null && sparse is null ? null : new HitVectors(dense, single, sparse);
}
