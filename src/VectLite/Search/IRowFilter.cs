namespace VectLite.Search;

/// <summary>
/// Decides which rows a scan or an index search may return: liveness (tombstones), namespace, TTL and
/// the payload filter, as one predicate over dense row ids.
/// </summary>
/// <remarks>
/// Implementations are structs passed as a generic argument (<c>where TFilter : struct, IRowFilter</c>)
/// and by reference, so the JIT specialises and inlines <see cref="Accept"/> and a filter may keep state
/// (counters, a cursor) across calls. Exact scans call <see cref="Accept"/> before computing a row's
/// distance, at most once per row, so a rejected row costs no distance computation. A graph search calls
/// it at most once per row too, but after the distance, and only for rows good enough to be results:
/// it walks through rejected rows to reach accepted ones, so it needs their distances anyway.
/// </remarks>
internal interface IRowFilter
{
    /// <summary>Returns <see langword="true"/> when <paramref name="row"/> may be part of the result.</summary>
    bool Accept(int row);
}

/// <summary>The filter that accepts every row: for collections with no deletions, namespaces or filter.</summary>
internal readonly struct AcceptAllRows : IRowFilter
{
    /// <summary>Returns <see langword="true"/>.</summary>
    public bool Accept(int row) => true;
}
