namespace VectLite;

/// <summary>
/// One hit of <see cref="Collection.Search(ReadOnlySpan{float}, Span{ScoredId}, SearchOptions?)"/>: a record's id and
/// its score, higher is better (as <see cref="SearchHit.Score"/>). A small value type, so a caller's buffer of them is
/// reused across searches without allocating.
/// </summary>
/// <param name="Id">The record's id.</param>
/// <param name="Score">The score, higher is better: cosine similarity, dot product, or the negated L2 / L1 distance.</param>
public readonly record struct ScoredId(RecordId Id, float Score);
