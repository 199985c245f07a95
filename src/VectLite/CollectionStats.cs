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

    /// <summary>Memory held by component: vectors, graphs, payloads, rows, payload indexes.</summary>
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

    /// <summary>The payload indexes defined.</summary>
    public required IReadOnlyList<(string Field, PayloadIndexKind Kind)> PayloadIndexes { get; init; }
}
