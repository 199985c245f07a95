namespace VectLite.Bench;

/// <summary>The peer's search line.</summary>
/// <param name="Peer">The peer's name as it reports it, e.g. "hnswlib-simd-flat".</param>
/// <param name="Queries">Queries it timed.</param>
/// <param name="QueriesPerSecond">Queries per second, one thread.</param>
/// <param name="Recall">Recall@k against the ground truth.</param>
/// <param name="RawJson">The line as printed, for the log.</param>
internal sealed record PeerSearchResult(string Peer, int Queries, double QueriesPerSecond, double Recall, string RawJson);
