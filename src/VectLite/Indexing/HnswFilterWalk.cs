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
}
