namespace VectLite.Bench;

/// <summary>One round of the exact-scan benchmark: the peer, then VectLite, back to back.</summary>
/// <param name="Number">1-based round number.</param>
/// <param name="Peer">The peer's result.</param>
/// <param name="Ours">VectLite's result.</param>
internal sealed record ExactScanRound(int Number, PeerSearchResult Peer, OurSearchResult Ours)
{
    /// <summary>VectLite's queries per second over the peer's, this round.</summary>
    public double Ratio => Ours.QueriesPerSecond / Peer.QueriesPerSecond;
}
