namespace VectLite;

/// <summary>
/// Memory a collection holds, by component, as of <see cref="Collection.GetStats"/> (see docs/operations.md, "What lives
/// in RAM"). Rows not yet removed by a checkpoint (replaced, deleted, expired) count until one does. The log and the
/// checkpoint files are on disk (<see cref="CollectionStats.WalBytes"/>, <see cref="CollectionStats.BytesOnDisk"/>).
/// </summary>
/// <param name="Vectors">The vector arenas' RAM: native memory in chunks, each row padded to a multiple of 16 floats;
/// allocated chunks count whole. Rows read from a mapped checkpoint file are in <see cref="VectorsMapped"/> instead.</param>
/// <param name="Graphs">The HNSW graphs: links, levels and node-to-row maps (no vectors), as <see cref="VectorIndexStats.MemoryBytes"/>,
/// plus the value graphs filtered searches asked for (<see cref="HnswOptions.ValueGraphs"/>).</param>
/// <param name="Payloads">The payloads' JSON text (UTF-8) held for every row. The parsed form adds a table of about 12
/// bytes per JSON token and a small object per payload, not counted here.</param>
/// <param name="Rows">Per-row metadata (id and payload reference: 32 bytes; per named vector the row's graph node: 4), in
/// allocated chunks of 4,096 rows; what most rows leave at a default, only in the 4,096-row chunks where a row has
/// another value (the deletion mark and the expiry: 8 bytes each; the namespace other than the default one and the row a
/// replacement or update replaced: 4 each); the rows of each namespace, about 4 bytes per row, kept only once a second
/// namespace exists; the id map (4 bytes a slot, 5 to 11 bytes per key) and, once the collection was scrolled, the ids in
/// scroll order (16 bytes per key). A string id's characters are not counted.</param>
/// <param name="PayloadIndexes">The keyword, numeric and bool payload indexes.</param>
public sealed record MemoryStats(long Vectors, long Graphs, long Payloads, long Rows, long PayloadIndexes)
{
    /// <summary>
    /// The quantized codes of the vectors that have them (<see cref="VectorSpec.Quantization"/>): one byte per dimension
    /// plus 4 (SQ8) or one bit per dimension in whole 64-bit words plus 8 (binary, RaBitQ) per row, in the chunks the rows
    /// need (a loaded or freshly encoded store's last chunk holds exactly its rows), plus each codec's per-dimension tables.
    /// </summary>
    public long Codes { get; init; }

    /// <summary>
    /// The float32 vectors read in place from memory-mapped checkpoint files (<see cref="VectorStorage.Disk"/>, or a
    /// quantized vector's default): address space backed by the files, not memory the collection holds. The operating
    /// system keeps as many of those pages in its page cache as memory allows and drops them under pressure, so they are
    /// not in <see cref="Total"/>. <see cref="Vectors"/> counts only the vectors held in RAM (for a vector on disk, the
    /// rows written since the last checkpoint).
    /// </summary>
    public long VectorsMapped { get; init; }

    /// <summary>The sum of the components held in RAM (<see cref="VectorsMapped"/> excluded).</summary>
    public long Total => Vectors + Graphs + Payloads + Rows + PayloadIndexes + Codes;
}
