namespace VectLite;

/// <summary>
/// One hit of <see cref="Collection.Search(ReadOnlySpan{float}, Span{ScoredId}, SearchOptions?)"/>: a record's id, its
/// score, higher is better (as <see cref="SearchHit.Score"/>), and its namespace. A small value type, so a caller's
/// buffer of them is reused across searches without allocating.
/// </summary>
/// <remarks>
/// An id is unique within a namespace, not across namespaces: a search over every namespace
/// (<see cref="SearchOptions.AllNamespaces"/>) can return the same id twice, from two tenants, and
/// <see cref="Namespace"/> tells them apart (as <see cref="SearchHit.Namespace"/> does).
/// </remarks>
/// <param name="Id">The record's id.</param>
/// <param name="Score">The score, higher is better: cosine similarity, dot product, or the negated L2 / L1 distance.</param>
/// <param name="Namespace">The record's namespace: "" for the default one. The collection's own interned string, not a copy.</param>
public readonly record struct ScoredId(RecordId Id, float Score, string Namespace)
{
    /// <summary>A hit in the default namespace ("").</summary>
    /// <param name="id">The record's id.</param>
    /// <param name="score">The score, higher is better.</param>
    public ScoredId(RecordId id, float score)
        : this(id, score, "")
    {
    }
}
