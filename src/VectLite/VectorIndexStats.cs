namespace VectLite;

/// <summary>The state of one named vector's HNSW index.</summary>
/// <param name="VectorName">The named vector.</param>
/// <param name="Indexed">False while the collection is below <see cref="HnswOptions.MinIndexedVectors"/>: searches scan.</param>
/// <param name="Nodes">Graph nodes, live and dead.</param>
/// <param name="DeadNodes">Nodes whose records were deleted or replaced: kept for navigation, never returned, dropped
/// when a checkpoint rebuilds the graph (see <see cref="HnswOptions.TombstoneRebuildPercent"/>).</param>
/// <param name="MemoryBytes">Memory held by the graph (links, levels, node map), excluding the vectors.</param>
/// <param name="Origin">How the graph came to be: "built" (from the vectors), "loaded" (from a checkpoint file, no
/// rebuild), "remapped" (carried over a checkpoint), or "none".</param>
public sealed record VectorIndexStats(string VectorName, bool Indexed, int Nodes, int DeadNodes, long MemoryBytes, string Origin)
{
    /// <summary>Threads the graph's last insert used (1: serial), so tests can check the parallel-insert settings
    /// without timing; 0 when there is no graph or it has had no insert since it was loaded or remapped.</summary>
    internal int LastInsertThreads { get; init; }

    /// <summary>
    /// The state of the vector's quantized codes (<see cref="VectorSpec.Quantization"/>): "none" when it is not
    /// quantized; "Sq8: untrained, 120 of 1000 vectors needed; searches use float32" before training; once trained,
    /// "Sq8: trained" followed by how the codes came to be ("trained", "retrained" after drift, "carried" over a
    /// checkpoint, "loaded" from a checkpoint file) and the share of values clipped since training.
    /// </summary>
    public string Quantization { get; init; } = "none";

    /// <summary>Memory held by the quantized codes and their codec (0 without codes); also in <see cref="MemoryStats.Codes"/>.</summary>
    public long CodeBytes { get; init; }

    /// <summary>
    /// Whether the vector's float32 values are all kept in RAM: <see cref="VectorSpec.VectorsInRam"/>, except that an
    /// in-memory database keeps them in RAM whatever the setting (it has no file to map).
    /// </summary>
    public bool VectorsInRam { get; init; } = true;

    /// <summary>RAM held by the vector's float32 values (allocated chunks, rows padded to 16 floats): every row when they
    /// are in RAM; on disk, the rows written since the last checkpoint and the chunk the checkpoint file ends in.</summary>
    public long VectorBytes { get; init; }

    /// <summary>The vector's float32 values read in place from the mapped checkpoint file (see <see cref="MemoryStats.VectorsMapped"/>):
    /// file-backed pages the operating system keeps resident only while memory allows.</summary>
    public long MappedVectorBytes { get; init; }
}
