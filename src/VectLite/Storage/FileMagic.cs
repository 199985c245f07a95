namespace VectLite.Storage;

/// <summary>
/// The magic numbers and format versions at the start of every VectLite file. The magic is eight ASCII bytes read
/// as a little-endian <see cref="ulong"/>, so a hex dump shows the name. docs/file-format.md describes each layout.
/// </summary>
internal static class FileMagic
{
    /// <summary>"VLDBMAN1": the database manifest, vectlite.db.</summary>
    public const ulong DatabaseManifest = 0x314E414D42444C56;

    /// <summary>"VLWALOG1": a collection's write-ahead log.</summary>
    public const ulong WriteAheadLog = 0x31474F4C41574C56;

    /// <summary>"VLCKPNT1": a collection's checkpoint manifest.</summary>
    public const ulong Checkpoint = 0x31544E504B434C56;

    /// <summary>"VLRECS01": a checkpoint's records file (ids, namespaces, expiry, payloads).</summary>
    public const ulong Records = 0x3130534345524C56;

    /// <summary>"VLVECS01": a checkpoint's vectors file for one named vector.</summary>
    public const ulong Vectors = 0x3130534345564C56;

    /// <summary>"VLHNSW01": a checkpoint's HNSW graph file for one named vector (layout in Indexing/HnswFileFormat.cs).</summary>
    public const ulong HnswGraph = 0x3130_5753_4E48_4C56;

    /// <summary>"VLQUANT1": a checkpoint's quantized codes file for one named vector (layout in Quantization/CodesFile.cs).</summary>
    public const ulong QuantizedCodes = 0x31544E4155514C56;

    /// <summary>"VLVGRF01": a checkpoint's value graphs file (layout in Indexing/ValueGraphs/ValueGraphFile.cs).</summary>
    public const ulong ValueGraphs = 0x3130465247564C56;

    /// <summary>The format version every file is written with; readers reject versions they do not know.</summary>
    public const uint CurrentVersion = 1;

    /// <summary>
    /// Version 2 of the records file and the checkpoint manifest: written only for a collection with sparse vector spaces
    /// (each record body ends with its sparse vectors; the manifest lists the spaces). A collection without them keeps
    /// writing version 1, which builds before sparse vectors read; this build reads both.
    /// </summary>
    public const uint SparseVersion = 2;

    /// <summary>
    /// Version 2 of the vectors file: written only for a vector kept on disk (<see cref="VectorStorage.Disk"/>, or
    /// <see cref="VectorStorage.Auto"/> when quantized). Its rows start at byte 64 and each takes the arena's stride (the
    /// dimension rounded up to 16 floats, zero padded), so the file is memory-mapped and read in place, every row on a
    /// 64-byte boundary (<see cref="Vectors.MappedVectorFile"/>). Vectors in RAM keep writing version 1 (dense rows after
    /// the 32-byte header), which builds before this one read; this build reads both for either setting.
    /// </summary>
    public const uint MappedVectorsVersion = 2;

    /// <summary>
    /// Version 3 of the checkpoint manifest: written only when a vector keeps rows in an earlier generation's vectors
    /// file (<see cref="CheckpointManifest.EarlierSegments"/>), which a build that predates segments would not read.
    /// </summary>
    public const uint SegmentedManifestVersion = 3;

    /// <summary>Whether a checkpoint data file with <paramref name="magic"/> may carry format <paramref name="version"/>.</summary>
    public static bool IsKnownVersion(ulong magic, uint version) =>
        version == CurrentVersion
        || (magic == Records && version == SparseVersion)
        || (magic == Vectors && version == MappedVectorsVersion);
}
