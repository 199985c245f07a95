namespace VectLite;

/// <summary>
/// The value graphs of one payload field (or of the namespaces) for one named vector: an HNSW graph per value held by at
/// least 2,048 rows, built in the background once filtered searches asked for them (docs/tuning.md, "Value graphs").
/// </summary>
/// <param name="VectorName">The named vector.</param>
/// <param name="Field">The keyword-indexed payload field, or <c>$namespaces</c> for the namespace (tenant) graphs.</param>
/// <param name="Graphs">Values that have a graph.</param>
/// <param name="Nodes">Nodes over every graph, live and dead.</param>
/// <param name="DeadNodes">Nodes whose rows a checkpoint removed: followed, never returned; a graph is built again once
/// they reach <see cref="HnswOptions.TombstoneRebuildPercent"/> of it.</param>
/// <param name="MemoryBytes">Memory held by the graphs (also in <see cref="MemoryStats.Graphs"/>).</param>
/// <param name="Origin">"built" (by this process), "loaded" (from the checkpoint's value graphs file), or "remapped"
/// (carried over a compacting checkpoint).</param>
public sealed record ValueGraphStats(string VectorName, string Field, int Graphs, long Nodes, long DeadNodes, long MemoryBytes, string Origin)
{
    /// <summary>Values whose graph is being built again (dead nodes past the share) and not searched until complete.</summary>
    public int Rebuilding { get; init; }

    /// <summary>Rows the graphs do not cover yet (searches scan them exactly); 0 when caught up.</summary>
    public long WaitingRows { get; init; }
}
