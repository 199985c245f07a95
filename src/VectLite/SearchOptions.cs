namespace VectLite;

/// <summary>Options for <see cref="Collection.Search(ReadOnlySpan{float}, SearchOptions?)"/> and the other search calls.</summary>
public sealed class SearchOptions
{
    /// <summary>How many hits to return (after <see cref="Offset"/>), 1 to 10,000. Default 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Hits to skip before the first returned, for paging. Default 0.</summary>
    public int Offset { get; init; }

    /// <summary>The named vector to search; may be null when the collection has exactly one.</summary>
    public string? VectorName { get; init; }

    /// <summary>
    /// The namespace to search. Null (the default) and "" both mean the default namespace, as in every other call;
    /// records in other namespaces are never returned unless <see cref="AllNamespaces"/> is set.
    /// </summary>
    public string? Namespace { get; init; }

    /// <summary>
    /// Search every namespace at once (each hit's <see cref="SearchHit.Namespace"/> says where it lives). Default false.
    /// Setting it together with a non-null <see cref="Namespace"/> is an <see cref="ArgumentException"/>: one search has
    /// one scope.
    /// </summary>
    public bool AllNamespaces { get; init; }

    /// <summary>Only records whose payload matches this filter; null for all.</summary>
    public Filter? Filter { get; init; }

    /// <summary>Return each hit's payload. Default true.</summary>
    public bool IncludePayload { get; init; } = true;

    /// <summary>Return each hit's vectors. Default false.</summary>
    public bool IncludeVectors { get; init; }

    /// <summary>
    /// The HNSW candidate list size for this query (higher: better recall, slower); null uses the collection's
    /// <see cref="HnswOptions.EfSearch"/>. Always raised to at least <see cref="TopK"/> + <see cref="Offset"/>. Must be
    /// between 1 and <see cref="Collection.MaxSearchResults"/>.
    /// </summary>
    public int? Ef { get; init; }

    /// <summary>Force an exact scan instead of the HNSW index (slower on large collections, exact by definition). Default false.</summary>
    public bool Exact { get; init; }

    /// <summary>Drop hits scoring below this (scores are higher-is-better for every metric; see <see cref="Metric"/>). Not NaN.</summary>
    public float? ScoreThreshold { get; init; }
}
