using System.Buffers.Binary;
using VectLite.Storage;

namespace VectLite.Fuzz;

/// <summary>
/// One data file of a checkpoint (records, vectors or HNSW graph), put in place of the engine's with a manifest entry
/// giving its real length and CRC32C, and with its internal checksums repaired (<see cref="ChecksumRepair"/>), then
/// a read-only open that loads and uses it. The file is refused with <see cref="CorruptFileException"/> or loaded
/// and usable; a graph that is refused is logged and rebuilt, so for the graph only the rebuild path is the refusal.
/// </summary>
internal sealed class CheckpointFileTarget : IFuzzTarget
{
    private readonly string _collection;
    private readonly Func<CheckpointManifest, string> _fileName;
    private readonly SpanAction _repair;
    private readonly bool _recordCountFromHeader;

    private CheckpointFileTarget(string name, string collection, Func<CheckpointManifest, string> fileName, SpanAction repair, bool recordCountFromHeader)
    {
        Name = name;
        _collection = collection;
        _fileName = fileName;
        _repair = repair;
        _recordCountFromHeader = recordCountFromHeader;
    }

    /// <summary>Rewrites checksum fields of a file in place.</summary>
    private delegate void SpanAction(Span<byte> file);

    /// <summary>The records file of the metadata-only collection (no vectors file has to agree with its count).</summary>
    public static CheckpointFileTarget Records { get; } = new("records", FuzzWorkspace.Meta,
        m => CheckpointManifest.RecordsFileName(m.Generation),
        file =>
        {
            ChecksumRepair.CheckpointFileHeader(file);
            ChecksumRepair.RecordFrames(file);
        },
        recordCountFromHeader: true);

    /// <summary>The vectors file of <c>docs</c>; its graph stays in place and is searched over the loaded vectors.</summary>
    public static CheckpointFileTarget Vectors { get; } = new("vectors", FuzzWorkspace.Docs,
        m => CheckpointManifest.VectorsFileName(m.Generation, 0),
        ChecksumRepair.CheckpointFileHeader,
        recordCountFromHeader: false);

    /// <summary>The HNSW graph file of <c>docs</c>: loaded, validated, then searched.</summary>
    public static CheckpointFileTarget Graph { get; } = new("graph", FuzzWorkspace.Docs,
        m => CheckpointManifest.GraphFileName(m.Generation, 0),
        ChecksumRepair.GraphTrailer,
        recordCountFromHeader: false);

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        workspace.Restore(_collection);
        CheckpointManifest template = _collection == FuzzWorkspace.Docs ? workspace.DocsManifest : workspace.MetaManifest;
        string fileName = _fileName(template);

        byte[] file = input.ToArray();
        _repair(file);
        File.WriteAllBytes(Path.Combine(workspace.CollectionDirectory(_collection), fileName), file);

        // A records file may carry any count: the manifest is made to agree, so the records themselves are read.
        long recordCount = _recordCountFromHeader && file.Length >= CheckpointFileWriter.HeaderSize
            ? BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(16))
            : template.RecordCount;
        workspace.WriteManifestWith(_collection, template, new CheckpointFile(fileName, file.Length, Checksum.Compute(file)), recordCount);
        try
        {
            CollectionProbe.OpenAndRead(workspace, _collection);
        }
        catch (CorruptFileException)
        {
            // the documented refusal
        }
    }
}
