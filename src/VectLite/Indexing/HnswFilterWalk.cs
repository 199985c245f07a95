namespace VectLite.Indexing;

/// <summary>How a filtered graph search treats the nodes its filter rejects.</summary>
internal enum HnswFilterWalk
{
    /// <summary>
    /// Score every neighbour and walk through rejected nodes as through accepted ones; only accepted nodes become
    /// results. Cheapest when most rows pass: the walk is the unfiltered one with a test per result.
    /// </summary>
    Through,

    /// <summary>
    /// ACORN-style: test the filter before scoring, so only accepted nodes are scored and queued; when fewer than half
    /// of a node's neighbours pass, also look at the neighbours of the rejected ones (two hops), which keeps the
    /// accepted nodes connected when the filter is selective. Seeds from accepted nodes spread over the graph keep
    /// the walk alive when the filter avoids the query's neighbourhood.
    /// </summary>
    TwoHop,

    /// <summary>
    /// The two-hop walk without its steps through rejected regions: only accepted nodes are scored and queued (the
    /// entry aside), with more seeds. For a filter that avoids the query's neighbourhood, where walking through
    /// rejected nodes means exploring every rejected node nearer than the nearest passing one; from the seeds, the walk
    /// instead converges over the passing nodes to the ones nearest the query. Chosen at run time when the entry's
    /// neighbourhood passes far less often than the filter does overall (see HnswGraph.SearchFiltered).
    /// </summary>
    Passing,
}
