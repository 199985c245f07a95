namespace VectLite.Bench;

/// <summary>One run of the hnswlib peer: a build with some threads, then the single-threaded ef sweep.</summary>
/// <param name="Threads">Build threads.</param>
/// <param name="BuildSeconds">Build time as the peer measured it (inserting all base vectors; the file read excluded).</param>
/// <param name="Points">The search sweep, in the order of the ef list.</param>
internal sealed record PeerHnswRun(int Threads, double BuildSeconds, IReadOnlyList<HnswSearchPoint> Points);
