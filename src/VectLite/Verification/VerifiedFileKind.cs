namespace VectLite;

/// <summary>What a file checked by <see cref="Database.Verify(string, CancellationToken)"/> is (docs/file-format.md describes each).</summary>
public enum VerifiedFileKind
{
    /// <summary><c>vectlite.db</c>: the database manifest.</summary>
    DatabaseManifest = 0,

    /// <summary><c>checkpoint.vlck</c>: a collection's checkpoint manifest, the list of its current data files.</summary>
    CheckpointManifest = 1,

    /// <summary><c>gN.records.vlrec</c>: a checkpoint's ids, namespaces, expiry times and payloads.</summary>
    Records = 2,

    /// <summary><c>gN.vecK.vlvec</c>: a checkpoint's vectors for one named vector.</summary>
    Vectors = 3,

    /// <summary><c>gN.hnswK.vlhnsw</c>: a checkpoint's saved HNSW graph for one named vector.</summary>
    HnswGraph = 4,

    /// <summary><c>wal.vlwal</c>: a collection's write-ahead log.</summary>
    WriteAheadLog = 5,

    /// <summary>A file or folder that is not part of the current checkpoint: a leftover, or not VectLite's.</summary>
    Other = 6,

    /// <summary><c>transactions.vlwal</c>: the database's transaction log (write batches across collections).</summary>
    TransactionLog = 7,

    /// <summary><c>gN.textT.vltext</c>: a checkpoint's full-text index (postings and document lengths of one text index).</summary>
    TextIndex = 8,
    /// <summary><c>gN.qK.vlq</c>: a checkpoint's quantized codes (codec and codes) for one named vector.</summary>
    QuantizedCodes = 9,

    /// <summary><c>gN.valuegraphs.vlvg</c>: a checkpoint's value graphs (per keyword value and per namespace, an HNSW graph over its rows).</summary>
    ValueGraphs = 10,
}
