namespace VectLite.Bench;

/// <summary>One round of one build-thread variant: the peer, then VectLite, back to back.</summary>
/// <param name="Number">1-based round number.</param>
/// <param name="Threads">Build threads on both sides.</param>
/// <param name="Peer">The peer's run.</param>
/// <param name="Ours">VectLite's run.</param>
internal sealed record HnswRound(int Number, int Threads, PeerHnswRun Peer, OurHnswRun Ours);
