using VectLite.Storage;
using VectLite.Tests.Engine;
using VectLite.Tests.Storage;

namespace VectLite.Tests.Vectors;

/// <summary>
/// A checkpoint that compacts a vector kept on disk writes the surviving rows to a scratch file and maps it, instead of
/// copying them into RAM (which a collection larger than RAM does not have): the compacted state holds at most one chunk
/// of them in RAM, reads return the written bits, the scratch file goes once the checkpoint's own file replaces it, and a
/// scratch file that cannot be written fails the checkpoint with a typed error and leaves nothing behind.
/// </summary>
public sealed class CompactionScratchFileTests : IDisposable
{
    /// <summary>Not a multiple of 16, so every row has padding (stride 112 floats).</summary>
    private const int Dimension = 100;

    /// <summary>Rows per chunk of an on-disk arena of <see cref="Dimension"/>: 128 x 112 x 4 bytes = 56 KiB, within 64 KiB.</summary>
    private const int RowsPerDiskChunk = 128;

    private const long ChunkBytes = RowsPerDiskChunk * 112L * sizeof(float);

    private static readonly DatabaseOptions NoAutoCheckpoints = Options(null);

    private static DatabaseOptions Options(IStorageDevice? storage) =>
        storage is null
            ? new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled }
            : new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled, Storage = storage };

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static float[] Vector(int seed)
    {
        var random = new Random(seed);
        var vector = new float[Dimension];
        for (int d = 0; d < Dimension; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }
        vector[seed % Dimension] = -0f; // a bit pattern a lossy copy would change
        return vector;
    }

    private static CollectionSchema Schema(QuantizationOptions quantization) =>
        new CollectionSchema().AddVector("v", Dimension, Metric.L2, quantization, VectorStorage.Disk)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 });

    /// <summary>2,000 rows, checkpointed (mapped), then every fourth one deleted: 1,500 survive, 11 whole chunks and 92 rows.</summary>
    private static Dictionary<ulong, float[]> FillAndDeleteEveryFourth(Collection c)
    {
        var expected = new Dictionary<ulong, float[]>();
        for (int i = 0; i < 2000; i++)
        {
            expected[(ulong)i] = Vector(i);
        }
        c.UpsertMany(expected.Select(e => new Record(e.Key, e.Value)));
        c.Compact();
        for (ulong id = 0; id < 2000; id += 4)
        {
            Assert.True(c.Delete(id));
            expected.Remove(id);
        }
        return expected;
    }

    private static void AssertBitExact(Collection c, Dictionary<ulong, float[]> expected)
    {
        Assert.Equal(expected.Count, c.Count());
        foreach ((ulong id, float[] vector) in expected)
        {
            float[] got = c.Get(id)!.Vector!.Value.ToArray();
            for (int d = 0; d < Dimension; d++)
            {
                Assert.True(BitConverter.SingleToInt32Bits(vector[d]) == BitConverter.SingleToInt32Bits(got[d]),
                    $"record {id}, component {d}: {got[d]:R}, written {vector[d]:R}");
            }
        }
    }

    private string[] ScratchFiles() =>
        Directory.GetFiles(_temp.CollectionDirectory("c"), "compacting.*");

    [Theory]
    [InlineData(QuantizationKind.None)]
    [InlineData(QuantizationKind.Sq8)]
    public void A_compaction_maps_the_surviving_rows_of_a_vector_on_disk_instead_of_copying_them_to_ram(QuantizationKind kind)
    {
        var quantization = kind == QuantizationKind.None ? QuantizationOptions.None : QuantizationOptions.Sq8;
        Dictionary<ulong, float[]> expected;
        using (Database db = _temp.Open(NoAutoCheckpoints))
        {
            Collection c = db.CreateCollection("c", Schema(quantization));
            expected = FillAndDeleteEveryFourth(c);

            long ramDuringCheckpoint = -1, mappedDuringCheckpoint = -1;
            string[] scratchDuringCheckpoint = [];
            long scratchLength = -1;
            c.CheckpointWritingForTests = () =>
            {
                // Between the compaction and the checkpoint's files: the compacted state's vectors are the scratch file.
                VectorIndexStats stats = c.GetStats().VectorIndexes[0];
                (ramDuringCheckpoint, mappedDuringCheckpoint) = (stats.VectorBytes, stats.MappedVectorBytes);
                scratchDuringCheckpoint = ScratchFiles();
                scratchLength = scratchDuringCheckpoint.Length == 1 ? new FileInfo(scratchDuringCheckpoint[0]).Length : -1;
            };
            c.Compact();
            c.CheckpointWritingForTests = null;

            // 1,500 rows: 11 chunks of 128 mapped, the last 92 rows in one chunk of RAM (copying them all would take 12).
            Assert.Equal((ChunkBytes, 11 * ChunkBytes), (ramDuringCheckpoint, mappedDuringCheckpoint));
            string scratch = Assert.Single(scratchDuringCheckpoint);
            Assert.EndsWith(".tmp", scratch, StringComparison.Ordinal);
            Assert.Equal(64 + (1500 * 112L * sizeof(float)), scratchLength);

            // The checkpoint's own file replaced it (no reader held the old mapping): the scratch file is gone.
            Assert.Empty(ScratchFiles());
            VectorIndexStats after = c.GetStats().VectorIndexes[0];
            Assert.Equal((ChunkBytes, 11 * ChunkBytes), (after.VectorBytes, after.MappedVectorBytes));
            AssertBitExact(c, expected);
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));

            // The compacted rows are the ones searches score: the exact nearest neighbour of a stored vector is itself.
            foreach (ulong id in new ulong[] { 1, 2, 3, 1001, 1999 })
            {
                SearchHit hit = c.Search(expected[id], new SearchOptions { TopK = 1, Exact = true })[0];
                Assert.Equal((id, 0f), (hit.Id.AsNumber, hit.Score));
            }
        }
        using (Database db = _temp.Open(NoAutoCheckpoints))
        {
            AssertBitExact(db.GetCollection("c"), expected);
        }
    }

    [Fact]
    public void A_vector_on_disk_whose_surviving_rows_fill_exactly_one_chunk_is_mapped()
    {
        // 130 rows, then 2 deleted: exactly one chunk's 128 survive, the boundary of "fits in one chunk, left in RAM".
        using Database db = _temp.Open(NoAutoCheckpoints);
        Collection c = db.CreateCollection("c", Schema(QuantizationOptions.None));
        var expected = new Dictionary<ulong, float[]>();
        for (int i = 0; i < RowsPerDiskChunk + 2; i++)
        {
            expected[(ulong)i] = Vector(i);
        }
        c.UpsertMany(expected.Select(e => new Record(e.Key, e.Value)));
        c.Compact();
        foreach (ulong id in new ulong[] { 5, 77 })
        {
            Assert.True(c.Delete(id));
            expected.Remove(id);
        }

        string[] scratchDuringCheckpoint = ["not run"];
        long mappedDuringCheckpoint = -1;
        c.CheckpointWritingForTests = () =>
        {
            scratchDuringCheckpoint = ScratchFiles();
            mappedDuringCheckpoint = c.GetStats().VectorIndexes[0].MappedVectorBytes;
        };
        c.Compact();
        c.CheckpointWritingForTests = null;

        Assert.Single(scratchDuringCheckpoint);
        Assert.Equal(ChunkBytes, mappedDuringCheckpoint);
        Assert.Equal(RowsPerDiskChunk, c.Count());
        AssertBitExact(c, expected);
    }

    [Fact]
    public void A_vector_kept_in_ram_is_compacted_in_ram()
    {
        using Database db = _temp.Open(NoAutoCheckpoints);
        Collection c = db.CreateCollection("c", new CollectionSchema().AddVector("v", Dimension, Metric.L2, QuantizationOptions.Sq8, VectorStorage.Ram));
        Dictionary<ulong, float[]> expected = FillAndDeleteEveryFourth(c);
        string[] scratchDuringCheckpoint = ["not run"];
        c.CheckpointWritingForTests = () => scratchDuringCheckpoint = ScratchFiles();
        c.Compact();
        Assert.Empty(scratchDuringCheckpoint);
        AssertBitExact(c, expected);
    }

    [Fact]
    public void A_vector_kept_in_ram_larger_than_one_ram_chunk_is_compacted_in_ram_too()
    {
        // Dimension 2,048: 8 KiB a row, so a RAM chunk (8 MiB) holds 1,024 rows; 1,100 rows survive, more than one chunk.
        // (The test above keeps 1,500 rows of dimension 100: within one RAM chunk of 16,384.) No graph: not needed here.
        const int wide = 2048;
        using Database db = _temp.Open(NoAutoCheckpoints);
        Collection c = db.CreateCollection("c", new CollectionSchema()
            .AddVector("v", wide, Metric.L2, QuantizationOptions.None, VectorStorage.Ram)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 100_000 }));
        c.UpsertMany(Enumerable.Range(0, 1200).Select(i => new Record((ulong)i, Enumerable.Repeat((float)i, wide).ToArray())));
        for (ulong id = 0; id < 1200; id += 12)
        {
            Assert.True(c.Delete(id));
        }
        string[] scratchDuringCheckpoint = ["not run"];
        c.CheckpointWritingForTests = () => scratchDuringCheckpoint = ScratchFiles();
        c.Compact();
        Assert.Empty(scratchDuringCheckpoint);
        Assert.Equal((0L, 1100L), (c.GetStats().VectorIndexes[0].MappedVectorBytes, (long)c.Count()));
        Assert.Equal(1199f, c.Get(1199UL)!.Vector!.Value.Span[wide - 1]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_scratch_file_that_cannot_be_written_fails_the_checkpoint_and_leaves_the_collection_as_it_was(bool failTheCreate)
    {
        StorageOperationKind kind = failTheCreate ? StorageOperationKind.Create : StorageOperationKind.Write;
        const string fileNamePrefix = "compacting.";
        var device = new FaultInjectingStorage(FileSystemStorage.Instance);
        Dictionary<ulong, float[]> expected;
        using (Database db = _temp.Open(Options(device)))
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8));
            expected = FillAndDeleteEveryFourth(c);
            device.FailAt = device.OperationCount + OffsetOfFirst(kind, fileNamePrefix) + 1;
            Assert.Throws<StorageException>(() => c.Compact());
            Assert.Equal(1, device.FaultsInjected);
            Assert.StartsWith(fileNamePrefix, Path.GetFileName(device.FirstFaulted!.Value.Path), StringComparison.Ordinal);
            Assert.Empty(ScratchFiles());
            Assert.Equal(1L, c.GetStats().CheckpointGeneration); // the first checkpoint's, from the fill
            AssertBitExact(c, expected);

            device.ClearFaults();
            c.Compact(); // the disk answers again: the compaction goes through
            Assert.Equal(2L, c.GetStats().CheckpointGeneration);
            AssertBitExact(c, expected);
        }
        using (Database db = _temp.Open(NoAutoCheckpoints))
        {
            AssertBitExact(db.GetCollection("c"), expected);
        }
    }

    [Fact]
    public void After_a_checkpoint_that_failed_past_the_compaction_reads_use_the_scratch_file_until_the_close_deletes_it()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance);
        Dictionary<ulong, float[]> expected;
        using (Database db = _temp.Open(Options(device)))
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8));
            expected = FillAndDeleteEveryFourth(c);
            // The checkpoint's own vectors file cannot be created: the compacted state, already swapped in, stays.
            device.FailAt = device.OperationCount + OffsetOfFirst(StorageOperationKind.Create, "g2.vec0.") + 1;
            Assert.Throws<StorageException>(() => c.Compact());
            Assert.Single(ScratchFiles());
            Assert.Equal(1500, c.Count());
            AssertBitExact(c, expected);
        }
        Assert.Empty(ScratchFiles()); // the close unmapped it, and that deletes it
        using (Database db = _temp.Open(NoAutoCheckpoints))
        {
            AssertBitExact(db.GetCollection("c"), expected);
        }
    }

    /// <summary>
    /// Which operation of the compacting checkpoint is the first of <paramref name="kind"/> on a file whose name starts with
    /// <paramref name="fileNamePrefix"/>, counted from the checkpoint's first operation: found by a dry run of the same
    /// steps on a counting device, so an identical run can fail exactly that one.
    /// </summary>
    private static int OffsetOfFirst(StorageOperationKind kind, string fileNamePrefix)
    {
        using var dry = new TempDatabase();
        var counting = new FaultInjectingStorage(FileSystemStorage.Instance);
        using Database db = dry.Open(Options(counting));
        Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8));
        FillAndDeleteEveryFourth(c);
        int before = counting.OperationCount;
        c.Compact();
        IReadOnlyList<(StorageOperationKind Kind, string Path)> log = counting.Log;
        for (int i = before; i < log.Count; i++)
        {
            if (log[i].Kind == kind && Path.GetFileName(log[i].Path).StartsWith(fileNamePrefix, StringComparison.Ordinal))
            {
                return i - before;
            }
        }
        Assert.Fail($"the compacting checkpoint made no {kind} on a file named {fileNamePrefix}*");
        return -1;
    }

    [Fact]
    public void A_scratch_file_a_crash_left_behind_is_removed_by_the_next_writer_open()
    {
        using (Database db = _temp.Open(NoAutoCheckpoints))
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8));
            c.Upsert(new Record(1UL, Vector(1)));
            c.Compact();
        }
        string leftover = Path.Combine(_temp.CollectionDirectory("c"), "compacting.vec0.0123456789abcdef0123456789abcdef.vlvec.tmp");
        File.WriteAllBytes(leftover, new byte[64 + (112 * sizeof(float))]);
        using (Database db = _temp.Open(NoAutoCheckpoints))
        {
            Assert.NotNull(db.GetCollection("c").Get(1UL));
            Assert.False(File.Exists(leftover));
        }
    }
}
