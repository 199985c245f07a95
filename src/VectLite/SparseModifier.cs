namespace VectLite;

/// <summary>How a sparse vector space weights a query's terms before the dot product (as Qdrant's <c>modifier</c>).</summary>
public enum SparseModifier
{
    /// <summary>Plain dot product of the query and the stored vectors.</summary>
    None = 0,

    /// <summary>
    /// Each query weight is multiplied by the term's inverse document frequency, <c>ln(1 + (N - n + 0.5) / (n + 0.5))</c>,
    /// where N is the number of live records holding a vector in this space and n the number of them holding the term
    /// (Qdrant's formula; the BM25 IDF). Store term frequencies (or BM25 term weights without IDF) and let the index
    /// supply IDF, which stays current as records are written and deleted.
    /// </summary>
    Idf = 1,
}
