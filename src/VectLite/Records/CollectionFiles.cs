using Microsoft.Extensions.Logging;
using VectLite.Indexing;
using VectLite.Quantization;
using VectLite.Storage;
using VectLite.Vectors;

namespace VectLite.Records;

/// <summary>
/// Writes a collection state to a checkpoint generation's data files, and loads one back. The state is the compacted
/// one (every row live), so row i of the records file is row i of every vectors file.
/// </summary>
/// <remarks>
/// Records file ("VLRECS01", header count = records): per record a u32 body length, the body's CRC32C, and the body
/// (id, namespace, expiry, payload; see <see cref="StoredRecord.WriteKeyAndPayload"/>; in version 2, written for a
/// collection with sparse vector spaces, followed by the record's sparse vectors, <see cref="StoredRecord.WriteSparse"/>).
/// Vectors file ("VLVECS01",
/// header field = dimension, count = rows): rows of float32, dense, no padding. Both are covered by a whole-file CRC32C
/// in the checkpoint manifest.
/// </remarks>
internal static class CollectionFiles
{
    /// <summary>Writes the generation's files under temporary names, fsynced; returns their manifest entries and the temp/final paths to rename.</summary>
    /// <remarks>Reads only what <paramref name="image"/> fixed, so the writer may keep appending rows meanwhile.</remarks>
    /// <exception cref="StorageException">A file could not be written; the temporary files are removed if possible.</exception>
    public static (List<CheckpointFile> Files, List<(string Temp, string Final)> Renames, Storage.VectorSegment[][] EarlierSegments, CheckpointFile? ValueGraphs) Write(IStorageDevice storage, string directory, long generation, CheckpointImage image, ulong graphStamp, CancellationToken cancellationToken)
    {
        var files = new List<CheckpointFile>();
        var renames = new List<(string, string)>();
        var earlier = new Storage.VectorSegment[image.State.Arenas.Length][];
        CheckpointFile? valueGraphs = null;
        CollectionState state = image.State;
        int rows = image.Rows;
        try
        {
            bool withSparse = state.Schema.HasExtendedSpaces;
            using (var writer = new CheckpointFileWriter(storage, directory, CheckpointManifest.RecordsFileName(generation), FileMagic.Records, 0, rows,
                withSparse ? FileMagic.SparseVersion : FileMagic.CurrentVersion))
            {
                var sparse = new SparseVector?[state.Sparse.Length];
                var multi = new float[][]?[state.Multi.Length];
                var buffer = new BinaryBuffer(4096);
                Span<byte> frame = stackalloc byte[8];
                for (int row = 0; row < rows; row++)
                {
                    if ((row & 4095) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                    ref readonly RowMeta meta = ref state.Row(row);
                    buffer.Clear();
                    byte[]? payload = meta.Payload.ValueKind == System.Text.Json.JsonValueKind.Undefined
                        ? null
                        : System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(meta.Payload).ToArray();
                    new StoredRecord(meta.Id, state.Namespaces.NameOf(state.NamespaceOf(row)), state.ExpiresAtTicks(row), payload, []).WriteKeyAndPayload(buffer);
                    if (withSparse)
                    {
                        for (int s = 0; s < sparse.Length; s++)
                        {
                            sparse[s] = state.Sparse[s].Vector(row);
                        }
                        for (int m = 0; m < multi.Length; m++)
                        {
                            multi[m] = state.Multi[m].Tokens(row);
                        }
                        new StoredRecord(meta.Id, "", 0, (byte[]?)null, [], sparse, multi).WriteExtendedSpaces(buffer);
                    }
                    System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame, buffer.Length);
                    System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(frame[4..], Checksum.Compute(buffer.WrittenSpan));
                    writer.Write(frame);
                    writer.Write(buffer.WrittenSpan);
                }
                files.Add(writer.Complete());
                renames.Add((writer.TempPath, writer.FinalPath));
            }

            for (int v = 0; v < state.Arenas.Length; v++)
            {
                // Only the rows after the earlier files the checkpoint keeps (VectorSegment.PlanAppend); the rest stay
                // where they are, listed in the manifest.
                Storage.VectorSegment[] prior = v < image.VectorSegments.Length ? image.VectorSegments[v] : [];
                int keep = Storage.VectorSegment.PlanAppend(prior, rows);
                earlier[v] = prior[..keep];
                int first = keep == 0 ? 0 : prior[keep - 1].EndRow;
                files.Add(WriteVectors(storage, directory, generation, v, state.Arenas[v], prior[keep..], first, rows, !image.Schema.Vectors[v].VectorsInRam, cancellationToken, renames));
            }

            for (int v = 0; v < state.Arenas.Length; v++)
            {
                if (image.Graphs[v] is not { } graph)
                {
                    continue;
                }
                cancellationToken.ThrowIfCancellationRequested();
                string name = CheckpointManifest.GraphFileName(generation, v);
                string temp = Path.Combine(directory, name + DurableFile.TempSuffix);
                using (var file = new StorageWriteStream(storage.Create(temp), bufferSize: 1 << 20))
                {
                    var checksummed = new ChecksummingStream(file);
                    graph.Save(checksummed, graphStamp);
                    file.Sync();
                    files.Add(new CheckpointFile(name, checksummed.Length, checksummed.Crc));
                }
                renames.Add((temp, Path.Combine(directory, name)));
            }

            for (int v = 0; v < image.Codes.Length; v++)
            {
                if (image.Codes[v] is not { } codes || codes.EncodedRows < rows)
                {
                    continue; // not trained (or, never expected, behind): the next open trains and encodes
                }
                cancellationToken.ThrowIfCancellationRequested();
                using var writer = new CheckpointFileWriter(storage, directory, CheckpointManifest.CodesFileName(generation, v), FileMagic.QuantizedCodes, (uint)state.Arenas[v].Dimension, rows);
                CodesFile.Write(writer, codes, rows);
                files.Add(writer.Complete());
                renames.Add((writer.TempPath, writer.FinalPath));
            }
            for (int m = 0; m < image.TokenGraphs.Length; m++)
            {
                if (image.TokenGraphs[m].Graph is not { } graph)
                {
                    continue; // not every token was indexed (a bulk load): the next open builds the graph
                }
                cancellationToken.ThrowIfCancellationRequested();
                string name = CheckpointManifest.TokenGraphFileName(generation, m);
                string temp = Path.Combine(directory, name + DurableFile.TempSuffix);
                renames.Add((temp, Path.Combine(directory, name))); // before writing: a failed write is cleaned up below
                using var file = new StorageWriteStream(storage.Create(temp), bufferSize: 1 << 20);
                var checksummed = new ChecksummingStream(file);
                graph.Save(checksummed, graphStamp);
                file.Sync();
                files.Add(new CheckpointFile(name, checksummed.Length, checksummed.Crc));
            }
            if (image.ValueGraphs.Length > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = CheckpointManifest.ValueGraphFileName(generation);
                string temp = Path.Combine(directory, name + DurableFile.TempSuffix);
                renames.Add((temp, Path.Combine(directory, name))); // before writing: a failed write is cleaned up below
                using var file = new StorageWriteStream(storage.Create(temp), bufferSize: 1 << 20);
                var checksummed = new ChecksummingStream(file);
                Indexing.ValueGraphs.ValueGraphFile.Write(checksummed, image.ValueGraphs, graphStamp);
                file.Sync();
                valueGraphs = new CheckpointFile(name, checksummed.Length, checksummed.Crc);
            }
            for (int t = 0; t < image.TextIndexes.Length; t++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = CheckpointManifest.TextFileName(generation, t);
                string temp = Path.Combine(directory, name + DurableFile.TempSuffix);
                byte[] bytes = Text.TextIndexFile.Serialize(image.TextIndexes[t], rows, graphStamp, cancellationToken);
                renames.Add((temp, Path.Combine(directory, name))); // before writing: a failed write is cleaned up below
                using var file = new StorageWriteStream(storage.Create(temp), bufferSize: 1 << 20);
                file.Write(bytes);
                file.Sync();
                files.Add(new CheckpointFile(name, bytes.Length, Checksum.Compute(bytes)));
            }
        }
        catch
        {
            foreach ((string temp, _) in renames)
            {
                DurableFile.TryDelete(storage, temp);
            }
            DurableFile.TryDelete(storage, Path.Combine(directory, CheckpointManifest.RecordsFileName(generation) + DurableFile.TempSuffix));
            for (int v = 0; v < state.Arenas.Length; v++)
            {
                DurableFile.TryDelete(storage, Path.Combine(directory, CheckpointManifest.VectorsFileName(generation, v) + DurableFile.TempSuffix));
                DurableFile.TryDelete(storage, Path.Combine(directory, CheckpointManifest.GraphFileName(generation, v) + DurableFile.TempSuffix));
                DurableFile.TryDelete(storage, Path.Combine(directory, CheckpointManifest.CodesFileName(generation, v) + DurableFile.TempSuffix));
            }
            throw;
        }
        return (files, renames, earlier, valueGraphs);
    }

    /// <summary>
    /// Writes rows [<paramref name="first"/>, <paramref name="rows"/>) of vector <paramref name="ordinal"/> to this
    /// generation's vectors file under its temporary name, fsynced, in the mapped layout (version 2) for a vector kept
    /// on disk (its rows are read in place after the commit), else dense (version 1). The rows of the earlier files it
    /// merges (<paramref name="merged"/>, which start at <paramref name="first"/>) are copied from those files, read
    /// sequentially and checked against the manifest's checksum; the rest from the arena (rows still in RAM).
    /// </summary>
    /// <remarks>
    /// Not through the arena for the merged rows: for a vector on disk that would fault the old files in through a
    /// mapping advised for random reads, a page at a time; and a file read here is checked, so damage on disk fails the
    /// checkpoint instead of being copied into a new file with a fresh checksum.
    /// </remarks>
    /// <exception cref="CorruptFileException">A merged file is damaged; nothing is committed.</exception>
    private static CheckpointFile WriteVectors(IStorageDevice storage, string directory, long generation, int ordinal, VectorArena arena,
        ReadOnlySpan<VectorSegment> merged, int first, int rows, bool mapped, CancellationToken cancellationToken, List<(string, string)> renames)
    {
        using var writer = new CheckpointFileWriter(storage, directory, CheckpointManifest.VectorsFileName(generation, ordinal), FileMagic.Vectors, (uint)arena.Dimension, rows - first,
            mapped ? FileMagic.MappedVectorsVersion : FileMagic.CurrentVersion);
        ReadOnlySpan<byte> padding = mapped ? new byte[MappedVectorFile.DataOffset - CheckpointFileWriter.HeaderSize] : default;
        writer.Write(padding);
        ReadOnlySpan<float> rowPadding = mapped ? new float[arena.Stride - arena.Dimension] : default;
        int row = first;
        float[] buffer = new float[arena.Dimension];
        Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(buffer.AsSpan());
        foreach (VectorSegment segment in merged)
        {
            using CheckpointFileReader reader = OpenSegment(directory, segment, arena.Dimension, stream: null);
            if (segment.FirstRow != row)
            {
                throw new CorruptFileException(reader.Path, -1, $"it holds rows from {segment.FirstRow}; the checkpoint merges it from row {row}");
            }
            int sourcePadding = StartRows(reader, arena);
            for (int i = 0; i < segment.Rows; i++, row++)
            {
                if ((row & 4095) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
                reader.Read(bytes);
                reader.Skip(sourcePadding);
                writer.WriteFloats(buffer);
                writer.WriteFloats(rowPadding);
            }
            reader.Verify();
        }
        for (; row < rows; row++)
        {
            if ((row & 4095) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            writer.WriteFloats(arena.Get(row));
            writer.WriteFloats(rowPadding);
        }
        CheckpointFile file = writer.Complete();
        renames.Add((writer.TempPath, writer.FinalPath));
        return file;
    }

    /// <summary>Loads the manifest's data files into an empty state.</summary>
    /// <exception cref="CorruptFileException">A file is missing, damaged, or disagrees with the manifest or the schema.</exception>
    /// <param name="directory">The collection's directory.</param>
    /// <param name="manifest">The checkpoint to load.</param>
    /// <param name="state">An empty state for its schema.</param>
    /// <param name="opened">The generation's files already opened (a read-only open does that first), or null to open them here.</param>
    public static void Load(string directory, CheckpointManifest manifest, CollectionState state, OpenCheckpoint? opened = null)
    {
        int vectorCount = manifest.Schema.Vectors.Count;
        int dataFiles = manifest.Files.Count - manifest.TextIndexes.Count;
        int most = MostDataFiles(manifest);
        if (dataFiles < 1 + vectorCount || dataFiles > most)
        {
            throw new CorruptFileException(Path.Combine(directory, CheckpointManifest.FileName), -1,
                $"it lists {dataFiles} data files besides the text indexes'; a schema with {vectorCount} vectors and {manifest.MultiVectorTokens.Count} token graphs needs {1 + vectorCount} to {most}");
        }
        state.SuspendTextIndexes(); // the rows load without analysis; LoadTextIndexes installs the saved indexes

        // The vectors first: a vector on disk maps its file before any row is added, so no RAM is allocated for the
        // rows the mapping holds.
        long rows = manifest.RecordCount;
        if (rows < 0 || rows > int.MaxValue)
        {
            throw new CorruptFileException(Path.Combine(directory, CheckpointManifest.FileName), 16, $"record count {rows} is out of range");
        }
        for (int v = 0; v < vectorCount; v++)
        {
            LoadVectors(directory, manifest, v, (int)rows, state, opened);
        }

        long count;
        using (var reader = new CheckpointFileReader(directory, manifest.Files[0], FileMagic.Records, opened?.Take(manifest.Files[0].Name)))
        {
            count = reader.Count;
            if (count != rows)
            {
                throw new CorruptFileException(reader.Path, 16, $"record count {count} disagrees with the manifest's {manifest.RecordCount}");
            }
            int sparseSpaces = manifest.Schema.SparseVectors.Count;
            int multiSpaces = manifest.Schema.MultiVectors.Count;
            bool withSparse = reader.Version == FileMagic.SparseVersion;
            if (withSparse != manifest.Schema.HasExtendedSpaces)
            {
                throw new CorruptFileException(reader.Path, 8,
                    $"it is format version {reader.Version}, but the checkpoint declares {sparseSpaces} sparse and {multiSpaces} multi-vector spaces (version {FileMagic.SparseVersion} holds them, version {FileMagic.CurrentVersion} holds none)");
            }
            state.ReserveRows((int)count); // after the vectors on disk are mapped: their rows need no RAM
            Span<byte> frame = stackalloc byte[8];
            byte[] body = new byte[4096];
            for (long i = 0; i < count; i++)
            {
                long offset = reader.Position;
                reader.Read(frame);
                int length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(frame);
                uint crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
                if (length < 0 || length > reader.Remaining)
                {
                    throw new CorruptFileException(reader.Path, offset, $"record {i} claims {length} bytes");
                }
                if (body.Length < length)
                {
                    body = new byte[Math.Max(length, body.Length * 2)];
                }
                Span<byte> span = body.AsSpan(0, length);
                reader.Read(span);
                if (Checksum.Compute(span) != crc)
                {
                    throw new CorruptFileException(reader.Path, offset, $"record {i} checksum mismatch");
                }
                try
                {
                    var cursor = new BinaryCursor(span);
                    var (id, ns, expires, payload) = StoredRecord.ReadKeyAndPayload(ref cursor);
                    (SparseVector?[] sparse, float[][]?[] multi) = withSparse ? StoredRecord.ReadExtendedSpaces(ref cursor) : ([], []);
                    if (sparse.Length != sparseSpaces || multi.Length != multiSpaces)
                    {
                        throw new FormatException($"it holds {sparse.Length} sparse and {multi.Length} multi-vector spaces, the schema has {sparseSpaces} and {multiSpaces}");
                    }
                    for (int m = 0; m < multi.Length; m++)
                    {
                        if (multi[m] is { Length: > 0 } tokens && tokens[0].Length != manifest.Schema.MultiVectors[m].Dimension)
                        {
                            throw new FormatException($"multi-vector {m} has tokens of dimension {tokens[0].Length}, the schema says {manifest.Schema.MultiVectors[m].Dimension}");
                        }
                    }
                    if (cursor.Remaining != 0)
                    {
                        throw new FormatException($"{cursor.Remaining} bytes left over after the record");
                    }
                    state.AppendLoadedRow(id, ns, expires, payload, sparse, multi);
                }
                catch (Exception ex) when (ex is FormatException or System.Text.Json.JsonException or VectLiteException)
                {
                    throw new CorruptFileException(reader.Path, offset, $"record {i} does not decode: {ex.Message}", ex);
                }
            }
            reader.Verify();
        }
    }

    /// <summary>
    /// Loads named vector <paramref name="ordinal"/>'s files (its segments, in row order) into its empty arena: a vector
    /// on disk whose files are all in the mapped layout (version 2) maps them and reads them in place; any other is read
    /// into RAM (a vector in RAM, or on disk but checkpointed by a build that wrote version 1: its next checkpoint writes
    /// the mapped layout, all rows at once). Records the segments in the state when the next checkpoint may keep them.
    /// </summary>
    private static void LoadVectors(string directory, CheckpointManifest manifest, int ordinal, int count, CollectionState state, OpenCheckpoint? opened)
    {
        VectorArena arena = state.Arenas[ordinal];
        VectorSegment[] segments = manifest.SegmentsOf(ordinal);
        if (segments[^1].Rows < 0)
        {
            throw new CorruptFileException(Path.Combine(directory, CheckpointManifest.FileName), -1,
                $"vector {ordinal}'s earlier files hold {segments[^1].FirstRow} rows, more than the checkpoint's {count}");
        }
        var readers = new List<CheckpointFileReader>(segments.Length);
        var borrowed = new FileStream?[segments.Length];
        var mappings = new List<MappedVectorFile>(segments.Length);
        try
        {
            bool allMapped = true;
            foreach (VectorSegment segment in segments)
            {
                // The reader owns the stream; a mapping (made from it while open) outlives it.
                FileStream? stream = borrowed[readers.Count] = opened?.Take(segment.File.Name);
                CheckpointFileReader reader = OpenSegment(directory, segment, arena.Dimension, stream);
                readers.Add(reader);
                bool mappedLayout = reader.Version == FileMagic.MappedVectorsVersion;
                if (mappedLayout && reader.Remaining != MappedVectorFile.FileLength(arena.Dimension, segment.Rows) - CheckpointFileWriter.HeaderSize)
                {
                    throw new CorruptFileException(reader.Path, -1, $"it is {segment.File.Length} bytes; {segment.Rows} mapped vectors of dimension {arena.Dimension} take {MappedVectorFile.FileLength(arena.Dimension, segment.Rows)}");
                }
                allMapped &= mappedLayout;
            }

            if (allMapped && !manifest.Schema.Vectors[ordinal].VectorsInRam)
            {
                byte[] block = new byte[1 << 20];
                for (int i = 0; i < segments.Length; i++)
                {
                    CheckpointFileReader reader = readers[i];
                    mappings.Add(MappedVectorFile.Open(reader.Path, arena.Dimension, segments[i].Rows, borrowed[i]));
                    // The checksum still covers every byte; read through the file, not the mapping, so the check leaves
                    // no page of it resident in this process.
                    while (reader.Remaining > 0)
                    {
                        reader.Read(block.AsSpan(0, (int)Math.Min(block.Length, reader.Remaining)));
                    }
                    reader.Verify();
                }
                state.AttachVectorFiles(ordinal, mappings); // an empty arena: nothing retired
                mappings.Clear();
                state.SetVectorSegments(ordinal, segments);
                return;
            }

            arena.EnsureCapacity(count);
            float[] row = new float[arena.Dimension];
            Span<byte> bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan());
            for (int i = 0; i < segments.Length; i++)
            {
                CheckpointFileReader reader = readers[i];
                int padding = StartRows(reader, arena);
                for (int r = segments[i].FirstRow; r < segments[i].EndRow; r++)
                {
                    reader.Read(bytes);
                    reader.Skip(padding);
                    arena.Write(r, row);
                }
                reader.Verify();
            }
            // A vector on disk read into RAM from files of the dense layout: its next checkpoint rewrites them all mapped.
            state.SetVectorSegments(ordinal, allMapped || manifest.Schema.Vectors[ordinal].VectorsInRam ? segments : []);
        }
        finally
        {
            foreach (MappedVectorFile mapping in mappings)
            {
                mapping.Dispose();
            }
            foreach (CheckpointFileReader reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    /// <summary>Opens a vectors file (a segment) and checks its header against the segment's rows and the dimension.</summary>
    /// <exception cref="CorruptFileException">The file is missing, damaged, or holds other rows than the manifest says.</exception>
    private static CheckpointFileReader OpenSegment(string directory, VectorSegment segment, int dimension, FileStream? stream)
    {
        var reader = new CheckpointFileReader(directory, segment.File, FileMagic.Vectors, stream);
        if (reader.Field1 != dimension || reader.Count != segment.Rows)
        {
            reader.Dispose();
            throw new CorruptFileException(reader.Path, 12,
                $"it holds {reader.Count} vectors of dimension {reader.Field1}; the checkpoint needs {segment.Rows} of dimension {dimension}");
        }
        return reader;
    }

    /// <summary>
    /// Moves <paramref name="reader"/> (just past the header) to the first row, and returns the padding bytes after each
    /// row's floats: the mapped layout's (version 2), or none for the dense layout.
    /// </summary>
    private static int StartRows(CheckpointFileReader reader, VectorArena arena)
    {
        if (reader.Version != FileMagic.MappedVectorsVersion)
        {
            return 0;
        }
        reader.Skip(MappedVectorFile.DataOffset - CheckpointFileWriter.HeaderSize);
        return (arena.Stride - arena.Dimension) * sizeof(float);
    }

    /// <summary>
    /// The most data files (all but the text indexes') a checkpoint can list: the records, per named vector its vectors,
    /// graph and codes, and per multi-vector space its token graph.
    /// </summary>
    public static int MostDataFiles(CheckpointManifest manifest) =>
        1 + (3 * manifest.Schema.Vectors.Count) + manifest.MultiVectorTokens.Count;

    /// <summary>
    /// Loads the checkpoint's token graphs into a state whose rows are loaded (and whose tokens are therefore numbered as
    /// when the graphs were saved). A graph that is listed but missing, damaged, stamped for other data, built with other
    /// parameters or not indexing every token is not used: it is logged, and the state builds it from the token vectors
    /// when indexing resumes, as for a dense graph. Returns how many were loaded.
    /// </summary>
    public static int LoadTokenGraphs(string directory, CheckpointManifest manifest, CollectionState state, ILogger logger, string collectionName, OpenCheckpoint? opened = null)
    {
        int loaded = 0;
        for (int m = 0; m < manifest.MultiVectorTokens.Count; m++)
        {
            string name = CheckpointManifest.TokenGraphFileName(manifest.Generation, m);
            CheckpointFile? entry = manifest.Files.FirstOrDefault(f => f.Name == name);
            if (entry is null)
            {
                continue;
            }
            Indexing.MultiVector.MultiVectorIndex index = state.Multi[m];
            string path = Path.Combine(directory, name);
            try
            {
                if (index.TokenCount != manifest.MultiVectorTokens[m])
                {
                    throw new CorruptFileException(Path.Combine(directory, CheckpointManifest.FileName), -1,
                        $"it counts {manifest.MultiVectorTokens[m]} tokens in multi-vector space {m}, the records file holds {index.TokenCount}");
                }
                MultiVectorSpec spec = manifest.Schema.MultiVectors[m];
                HnswGraph graph = LoadGraphFile(directory, name, opened, index.Arena, spec.Metric, state.HnswParameters, manifest.GraphStamp);
                if (graph.Count - graph.DeadCount != index.TokenCount)
                {
                    throw new CorruptFileException(path, -1, $"it indexes {graph.Count - graph.DeadCount} live tokens, the checkpoint has {index.TokenCount}");
                }
                index.SetGraph(graph, state.RowCount, "loaded");
                loaded++;
            }
            catch (Exception ex) when (ex is CorruptFileException or IOException)
            {
                Log.GraphRebuilt(logger, collectionName, manifest.Schema.MultiVectors[m].Name, ex.Message);
            }
        }
        return loaded;
    }

    /// <summary>
    /// Loads the checkpoint's text index files into a state whose rows are loaded: no record is analyzed again. Unlike a
    /// graph (rebuilt from the vectors when its file is unusable), a damaged text index file is an error: the checksums
    /// already passed or the file is listed and missing, so the checkpoint is damaged.
    /// </summary>
    /// <exception cref="CorruptFileException">A text index file is missing, damaged or disagrees with the checkpoint.</exception>
    public static void LoadTextIndexes(string directory, CheckpointManifest manifest, CollectionState state, OpenCheckpoint? opened = null)
    {
        var indexes = new Text.TextIndex[manifest.TextIndexes.Count];
        for (int t = 0; t < indexes.Length; t++)
        {
            string name = CheckpointManifest.TextFileName(manifest.Generation, t);
            string path = Path.Combine(directory, name);
            CheckpointFile entry = manifest.Files.First(f => f.Name == name);
            byte[] bytes;
            try
            {
                if (opened?.Take(name) is { } stream)
                {
                    using (stream)
                    {
                        using var copy = new MemoryStream();
                        stream.CopyTo(copy);
                        bytes = copy.ToArray();
                    }
                }
                else
                {
                    bytes = File.ReadAllBytes(path);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CorruptFileException(path, -1, $"the text index file the checkpoint lists cannot be read: {ex.Message}", ex);
            }
            if (bytes.Length != entry.Length || Checksum.Compute(bytes) != entry.Crc)
            {
                throw new CorruptFileException(path, -1, "its length or checksum disagrees with the checkpoint manifest");
            }
            indexes[t] = Text.TextIndexFile.Load(path, bytes, manifest.TextIndexes[t], state, manifest.GraphStamp);
        }
        state.SetTextIndexes(indexes);
    }

    /// <summary>
    /// Loads the checkpoint's quantized codes into a state whose rows are loaded, so nothing is trained or encoded again.
    /// Codes that are missing (the vector was untrained at the checkpoint) or damaged are not used: a damaged file is
    /// logged, and the state trains and encodes afresh when indexing resumes (codes are derived data, like graphs).
    /// Returns how many were loaded.
    /// </summary>
    public static int LoadCodes(string directory, CheckpointManifest manifest, CollectionState state, ILogger logger, string collectionName, OpenCheckpoint? opened = null)
    {
        int loaded = 0;
        for (int v = 0; v < state.Arenas.Length; v++)
        {
            VectorSpec spec = manifest.Schema.Vectors[v];
            string name = CheckpointManifest.CodesFileName(manifest.Generation, v);
            CheckpointFile? entry = manifest.Files.FirstOrDefault(f => f.Name == name);
            if (entry is null || spec.Quantization.Kind == QuantizationKind.None)
            {
                continue;
            }
            try
            {
                using var reader = new CheckpointFileReader(directory, entry, FileMagic.QuantizedCodes, opened?.Take(name));
                state.SetCodes(v, CodesFile.Read(reader, spec, state.RowCount));
                loaded++;
            }
            catch (Exception ex) when (ex is CorruptFileException or IOException)
            {
                Log.CodesRetrained(logger, collectionName, spec.Name, ex.Message);
            }
        }
        return loaded;
    }

    /// <summary>
    /// Loads the checkpoint's HNSW graphs into a state whose rows are loaded. A graph that is listed but missing,
    /// damaged, stamped for other data or built with other parameters is not used: it is logged, and the state
    /// rebuilds it from the vectors when indexing resumes. Returns how many graphs were loaded.
    /// </summary>
    public static int LoadGraphs(string directory, CheckpointManifest manifest, CollectionState state, ILogger logger, string collectionName, OpenCheckpoint? opened = null)
    {
        int loaded = 0;
        int rows = state.RowCount;
        for (int v = 0; v < state.Arenas.Length; v++)
        {
            string name = CheckpointManifest.GraphFileName(manifest.Generation, v);
            CheckpointFile? entry = manifest.Files.FirstOrDefault(f => f.Name == name);
            if (entry is null)
            {
                continue; // the collection was below the indexing threshold at the checkpoint
            }
            string path = Path.Combine(directory, name);
            try
            {
                VectorSpec spec = manifest.Schema.Vectors[v];
                HnswGraph graph = LoadGraphFile(directory, name, opened, state.Arenas[v], spec.Metric, state.HnswParameters, manifest.GraphStamp);
                // Fewer live nodes than rows: a checkpoint taken while the deferred indexer was behind. The graph is used
                // and the rows it lacks are queued again (SetGraph finds where its coverage ends).
                if (graph.Count - graph.DeadCount > rows)
                {
                    throw new CorruptFileException(path, -1, $"it indexes {graph.Count - graph.DeadCount} live rows, the checkpoint has only {rows}");
                }
                state.SetGraph(v, graph, rows, "loaded");
                loaded++;
            }
            catch (Exception ex) when (ex is CorruptFileException or IOException)
            {
                Log.GraphRebuilt(logger, collectionName, manifest.Schema.Vectors[v].Name, ex.Message);
            }
        }
        return loaded;
    }

    /// <summary>
    /// Loads the checkpoint's value graphs (<see cref="Indexing.ValueGraphs.ValueGraphFile"/>) into a state whose rows
    /// and payload indexes are loaded, before it is published. A file that is missing, damaged or stamped for other data
    /// is not used: it is logged, and the graphs are built again once a search asks. Returns the fields installed (0
    /// also when <see cref="HnswOptions.ValueGraphs"/> is off: the file is then ignored).
    /// </summary>
    public static int LoadValueGraphs(string directory, CheckpointManifest manifest, CollectionState state, ILogger logger, string collectionName, OpenCheckpoint? opened = null)
    {
        if (manifest.ValueGraphFile is not { } entry || !manifest.Schema.Hnsw.ValueGraphs)
        {
            return 0;
        }
        string path = Path.Combine(directory, entry.Name);
        try
        {
            using Stream stream = opened?.Take(entry.Name)
                ?? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
            if (stream.Length != entry.Length)
            {
                throw new CorruptFileException(path, -1, $"it is {stream.Length} bytes, the checkpoint manifest says {entry.Length}");
            }
            var fields = Indexing.ValueGraphs.ValueGraphFile.Read(stream, path, state.Arenas.Length,
                ordinal => (state.Arenas[ordinal], manifest.Schema.Vectors[ordinal].Metric), state.HnswParameters, manifest.GraphStamp, state.RowCount);
            return state.InstallValueGraphs(fields);
        }
        catch (Exception ex) when (ex is CorruptFileException or IOException or UnauthorizedAccessException)
        {
            Log.ValueGraphsNotLoaded(logger, collectionName, ex.Message);
            return 0;
        }
    }

    /// <summary>
    /// Loads the graph file <paramref name="name"/> of a checkpoint: from the stream the open already holds when there
    /// is one (a read-only open holds the whole generation open, so a writer's clean-up cannot take the file away), else
    /// from its path.
    /// Shared by the dense graphs and the token graphs, which differ only in the arena and metric they index.
    /// </summary>
    private static HnswGraph LoadGraphFile(string directory, string name, OpenCheckpoint? opened, VectorArena arena, Metric metric, HnswParameters parameters, ulong stamp)
    {
        string path = Path.Combine(directory, name);
        if (opened?.Take(name) is { } stream)
        {
            using (stream)
            {
                return HnswGraph.Load(stream, path, arena, metric, parameters, stamp);
            }
        }
        return HnswGraph.Load(path, arena, metric, parameters, stamp);
    }
}
