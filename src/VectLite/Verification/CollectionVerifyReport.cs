namespace VectLite;

/// <summary>What <see cref="Collection.Verify"/> (or one collection of a <see cref="VerifyReport"/>) found.</summary>
public sealed class CollectionVerifyReport
{
    internal CollectionVerifyReport(string name, string directory, IReadOnlyList<VerifiedFile> files, long generation, long checkpointRecords, int logBatches)
    {
        Name = name;
        Directory = directory;
        Files = files;
        CheckpointGeneration = generation;
        CheckpointRecords = checkpointRecords;
        LogBatches = logBatches;
    }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>The collection's directory (full path).</summary>
    public string Directory { get; }

    /// <summary>
    /// Every file checked: the checkpoint manifest, each data file it lists (records, vectors, HNSW graphs), the log,
    /// and any other file found in the directory (reported as <see cref="VerifiedFileKind.Other"/>).
    /// </summary>
    /// <remarks>Payload indexes have no files: they are rebuilt from the records on open, so the records file covers them.</remarks>
    public IReadOnlyList<VerifiedFile> Files { get; }

    /// <summary>The checkpoint generation verified, or -1 when the checkpoint manifest could not be read.</summary>
    public long CheckpointGeneration { get; }

    /// <summary>The records the checkpoint holds according to its manifest, or -1 when the manifest could not be read.</summary>
    public long CheckpointRecords { get; }

    /// <summary>Intact log batches newer than the checkpoint (what an open would replay), or -1 when unknown: the log or the checkpoint manifest could not be read.</summary>
    public int LogBatches { get; }

    /// <summary>Every finding in every file, in file order.</summary>
    public IEnumerable<VerifyFinding> Findings => Files.SelectMany(f => f.Findings);

    /// <summary>True when no file holds damage (warnings allowed).</summary>
    public bool IsIntact => Files.All(f => f.IsIntact);
}
