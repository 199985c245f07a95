using System.Globalization;
using System.Text;

namespace VectLite;

/// <summary>A collection's counters, as of the moment <see cref="Collection.GetStats"/> was called.</summary>
public sealed record CollectionStats
{
    /// <summary>The collection's name.</summary>
    public required string Name { get; init; }

    /// <summary>Visible records: not deleted, not expired.</summary>
    public required long RecordCount { get; init; }

    /// <summary>Visible records per namespace ("" is the default namespace); namespaces with none are left out.</summary>
    public required IReadOnlyDictionary<string, long> NamespaceCounts { get; init; }

    /// <summary>Rows held in memory, including replaced and deleted ones not yet removed by a checkpoint.</summary>
    public required long StoredRows { get; init; }

    /// <summary>Rows replaced or deleted since the last checkpoint (space a checkpoint will reclaim).</summary>
    public required long DeletedRows { get; init; }

    /// <summary>Bytes of all the collection's files on disk (checkpoint files plus log).</summary>
    public required long BytesOnDisk { get; init; }

    /// <summary>Bytes in the write-ahead log.</summary>
    public required long WalBytes { get; init; }

    /// <summary>Batches written to the log since the last checkpoint (or since open, for batches replayed).</summary>
    public required long WalBatchesSinceCheckpoint { get; init; }

    /// <summary>The LSN of the last batch applied.</summary>
    public required long Lsn { get; init; }

    /// <summary>The checkpoint generation loaded or last written.</summary>
    public required long CheckpointGeneration { get; init; }

    /// <summary>Bytes of torn or corrupt log tail dropped when the collection was opened (0 when the log ended cleanly).</summary>
    public required long TornTailBytesDropped { get; init; }

    /// <summary>Why a torn tail was dropped, or null.</summary>
    public string? TornTailReason { get; init; }

    /// <summary>Memory held by component: vectors, graphs, payloads, rows, payload indexes, quantized codes.</summary>
    public MemoryStats? Memory { get; init; }

    /// <summary>Checkpoints this handle has written since the database was opened (manual, automatic and at close).</summary>
    public long CheckpointsWritten { get; init; }

    /// <summary>The last checkpoint written since the database was opened, or null.</summary>
    public CheckpointInfo? LastCheckpoint { get; init; }

    /// <summary>Why the last automatic checkpoint failed, or null (cleared by the next one that succeeds).</summary>
    public string? LastCheckpointError { get; init; }

    /// <summary>True while an automatic checkpoint is queued or running.</summary>
    public bool CheckpointRunning { get; init; }

    /// <summary>The HNSW index of each named vector, in schema order.</summary>
    public required IReadOnlyList<VectorIndexStats> VectorIndexes { get; init; }

    /// <summary>
    /// The token graph of each multi-vector space, in schema order (<see cref="VectorIndexStats.VectorName"/> is the
    /// space's name; nodes are token vectors, and <see cref="VectorIndexStats.Indexed"/> is false while rows stored by a
    /// bulk load wait to be added, which searches then scan). Empty without multi-vector spaces.
    /// </summary>
    public IReadOnlyList<VectorIndexStats> MultiVectorIndexes { get; init; } = [];

    /// <summary>
    /// The value graphs filtered searches asked for (docs/tuning.md, "Value graphs"): one entry per named vector and
    /// field (<c>$namespaces</c> for the namespace graphs). Empty until a search asks, or with
    /// <see cref="HnswOptions.ValueGraphs"/> off.
    /// </summary>
    public IReadOnlyList<ValueGraphStats> ValueGraphs { get; init; } = [];

    /// <summary>The payload indexes defined.</summary>
    public required IReadOnlyList<(string Field, PayloadIndexKind Kind)> PayloadIndexes { get; init; }

    /// <summary>
    /// Indexing lag: rows written that the background indexer has not reached yet (<see cref="IndexingMode.Deferred"/>;
    /// dead rows among them included). Searches scan these exactly. 0 when caught up, and with immediate indexing except
    /// during an <see cref="Collection.UpsertBulk"/>. <see cref="Collection.WaitForIndexing"/> waits for 0.
    /// </summary>
    public long IndexingLag { get; init; }

    /// <summary>
    /// A few lines for a log or a console: counts, each vector index's state, payload indexes, memory by component, disk
    /// and log, and checkpoints. For example:
    /// <code>
    /// docs: 1,000 records (2 namespaces), 1,040 rows stored, 40 replaced or deleted
    /// vector default: HNSW indexed, 1,040 nodes (40 dead), built, 210.5 KiB
    /// value graphs default/lang: 2 values, 1,020 nodes (0 dead), loaded, 190.2 KiB
    /// payload indexes: lang (Keyword), year (Numeric)
    /// memory: 2.1 MiB (vectors 1.5 MiB, graphs 210.5 KiB, payloads 120.0 KiB, rows 97.5 KiB, payload indexes 12.3 KiB)
    /// disk: 1.9 MiB (log 64.0 KiB, 3 batches since checkpoint 2), LSN 41
    /// checkpoints: 1 written, last generation 2 (Manual) at 2026-11-30 16:30:00Z
    /// </code>
    /// </summary>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"{Name}: {RecordCount:N0} records");
        if (NamespaceCounts.Count > 1)
        {
            text.Append(c, $" ({NamespaceCounts.Count:N0} namespaces)");
        }
        text.Append(c, $", {StoredRows:N0} rows stored, {DeletedRows:N0} replaced or deleted");
        foreach (VectorIndexStats index in VectorIndexes)
        {
            text.AppendLine().Append(c, $"vector {index.VectorName}: ")
                .Append(index.Indexed ? "HNSW indexed" : "not indexed yet (searches scan)")
                .Append(c, $", {index.Nodes:N0} nodes ({index.DeadNodes:N0} dead), {index.Origin}, {Bytes(index.MemoryBytes)}")
                .Append(index.Quantization == "none" ? "" : $"; quantization {index.Quantization}");
        }
        foreach (VectorIndexStats index in MultiVectorIndexes)
        {
            text.AppendLine().Append(c, $"multi-vector {index.VectorName}: token graph, {index.Nodes:N0} nodes ({index.DeadNodes:N0} dead), {index.Origin}, {Bytes(index.MemoryBytes)}")
                .Append(index.Indexed ? "" : "; rows waiting to be indexed are scanned");
        }
        foreach (ValueGraphStats graphs in ValueGraphs)
        {
            text.AppendLine().Append(c, $"value graphs {graphs.VectorName}/{graphs.Field}: {graphs.Graphs:N0} values, {graphs.Nodes:N0} nodes ({graphs.DeadNodes:N0} dead), {graphs.Origin}, {Bytes(graphs.MemoryBytes)}")
                .Append(graphs.Rebuilding == 0 ? "" : string.Create(c, $", {graphs.Rebuilding:N0} being built again"))
                .Append(graphs.WaitingRows == 0 ? "" : string.Create(c, $", {graphs.WaitingRows:N0} rows waiting (scanned exactly)"));
        }
        if (IndexingLag > 0)
        {
            text.AppendLine().Append(c, $"indexing: {IndexingLag:N0} rows waiting for the background indexer (searches scan them exactly)");
        }
        text.AppendLine().Append("payload indexes: ")
            .Append(PayloadIndexes.Count == 0 ? "none" : string.Join(", ", PayloadIndexes.Select(i => $"{i.Field} ({i.Kind})")));
        if (Memory is { } m)
        {
            text.AppendLine().Append(c, $"memory: {Bytes(m.Total)} (vectors {Bytes(m.Vectors)}, graphs {Bytes(m.Graphs)}, payloads {Bytes(m.Payloads)}, rows {Bytes(m.Rows)}, payload indexes {Bytes(m.PayloadIndexes)}{(m.Codes > 0 ? $", quantized codes {Bytes(m.Codes)}" : "")})");
        }
        text.AppendLine().Append(c, $"disk: {Bytes(BytesOnDisk)} (log {Bytes(WalBytes)}, {WalBatchesSinceCheckpoint:N0} batches since checkpoint {CheckpointGeneration}), LSN {Lsn}");
        if (TornTailBytesDropped > 0)
        {
            text.Append(c, $"; {Bytes(TornTailBytesDropped)} of torn log tail dropped at open ({TornTailReason})");
        }
        text.AppendLine().Append(c, $"checkpoints: {CheckpointsWritten:N0} written");
        if (LastCheckpoint is { } last)
        {
            text.Append(c, $", last generation {last.Generation} ({last.Trigger}) at {last.CompletedAt.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z");
        }
        if (CheckpointRunning)
        {
            text.Append(", one running");
        }
        if (LastCheckpointError is not null)
        {
            text.Append(c, $", last automatic one failed: {LastCheckpointError}");
        }
        return text.ToString();
    }

    /// <summary>Bytes in the largest binary unit that keeps the number at least 1: "512 B", "1.5 KiB", "2.0 MiB".</summary>
    internal static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {units[unit]}");
    }
}
