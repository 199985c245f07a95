using System.Buffers.Binary;
using VectLite.Storage;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Vectors;

/// <summary>
/// Vectors on disk (<see cref="VectorStorage"/>): the checkpointed rows are read from the mapped vectors file, bit for bit
/// what was written; searches return what the same data in RAM returns; a checkpoint that swaps the mapping under a
/// running search frees nothing the search may use; bad settings are typed errors; verify checks the mapped file.
/// </summary>
public sealed class VectorsOnDiskTests : IDisposable
{
    /// <summary>Not a multiple of 16: every row has padding (stride 112 floats), which the mapped layout must skip.</summary>
    private const int Dimension = 100;

    /// <summary>Rows per chunk of an on-disk arena of <see cref="Dimension"/>: the largest power of two with 112 x 4 x rows within 64 KiB.</summary>
    private const int RowsPerDiskChunk = 128;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Random vectors, the first two with values whose bits a lossy path would change: -0, the smallest
    /// subnormals, large and tiny magnitudes.</summary>
    private static float[][] Vectors(int count, int seed)
    {
        float[][] vectors = Plain(count, seed);
        vectors[0][0] = -0f;
        vectors[0][1] = float.Epsilon;
        vectors[0][2] = -float.Epsilon;
        vectors[1][0] = 1e-38f;
        vectors[1][1] = 1.0e9f;
        vectors[1][2] = -2.5e9f;
        return vectors;
    }

    /// <summary>Random vectors in [-1, 1).</summary>
    private static float[][] Plain(int count, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (int i = 0; i < count; i++)
        {
            vectors[i] = new float[Dimension];
            for (int d = 0; d < Dimension; d++)
            {
                vectors[i][d] = (float)((random.NextDouble() * 2) - 1);
            }
        }
        return vectors;
    }

    private static CollectionSchema Schema(QuantizationOptions quantization, VectorStorage storage, Metric metric = Metric.L2) =>
        new CollectionSchema().AddVector("v", Dimension, metric, quantization, storage)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1, MaxInsertThreads = 1 }); // one thread: the same graph for the same rows

    private static void AssertBitExact(float[] expected, ReadOnlyMemory<float>? actual, string what)
    {
        Assert.NotNull(actual);
        float[] got = actual.Value.ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int d = 0; d < expected.Length; d++)
        {
            if (BitConverter.SingleToInt32Bits(expected[d]) != BitConverter.SingleToInt32Bits(got[d]))
            {
                Assert.Fail($"{what}: component {d} is {got[d]:R} (bits {BitConverter.SingleToInt32Bits(got[d]):X8}), written {expected[d]:R} (bits {BitConverter.SingleToInt32Bits(expected[d]):X8})");
            }
        }
    }

    private static void AssertAllExact(Collection c, Dictionary<ulong, float[]> expected)
    {
        foreach ((ulong id, float[] vector) in expected)
        {
            AssertBitExact(vector, c.Get(id)?.Vector, $"Get({id})");
        }
        ScrollPage page = c.Scroll(new ScrollOptions { Limit = expected.Count + 10, IncludeVectors = true });
        Assert.Equal(expected.Count, page.Records.Count);
        foreach (Record record in page.Records)
        {
            AssertBitExact(expected[record.Id.AsNumber], record.Vector, $"Scroll {record.Id}");
        }
    }

    [Fact]
    public void Reads_return_the_written_bits_across_checkpoints_reopens_upserts_and_deletes()
    {
        // 1,000 rows: 7 whole chunks of 128 in the file, 104 rows in the chunk the file ends in (RAM).
        float[][] first = Vectors(1000, seed: 1);
        float[][] replacements = Vectors(300, seed: 2);
        var expected = new Dictionary<ulong, float[]>();
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Auto));
            c.UpsertMany(first.Select((v, i) => new Record((ulong)i, v)));
            for (int i = 0; i < first.Length; i++)
            {
                expected[(ulong)i] = first[i];
            }
            c.Compact();
            VectorIndexStats stats = c.GetStats().VectorIndexes[0];
            Assert.False(stats.VectorsInRam);
            Assert.Equal(7L * RowsPerDiskChunk * 112 * sizeof(float), stats.MappedVectorBytes);
            AssertAllExact(c, expected);

            // After the checkpoint: rows 0-299 replaced (new rows in RAM, old ones dead in the file), 50 deleted, 200 new.
            c.UpsertMany(replacements.Select((v, i) => new Record((ulong)i, v)));
            for (int i = 0; i < replacements.Length; i++)
            {
                expected[(ulong)i] = replacements[i];
            }
            foreach (ulong id in Enumerable.Range(500, 50).Select(i => (ulong)i))
            {
                Assert.True(c.Delete(id));
                expected.Remove(id);
            }
            float[][] added = Vectors(200, seed: 3);
            c.UpsertMany(added.Select((v, i) => new Record((ulong)(5000 + i), v)));
            for (int i = 0; i < added.Length; i++)
            {
                expected[(ulong)(5000 + i)] = added[i];
            }
            AssertAllExact(c, expected);
            Assert.Null(c.Get(520UL));

            c.Compact(); // deletes and replacements: the compacted state is written and mapped
            Assert.Equal(1150, c.Count());
            Assert.Equal(8L * RowsPerDiskChunk * 112 * sizeof(float), c.GetStats().VectorIndexes[0].MappedVectorBytes);
            AssertAllExact(c, expected);
        }

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.Equal(8L * RowsPerDiskChunk * 112 * sizeof(float), c.GetStats().VectorIndexes[0].MappedVectorBytes);
            AssertAllExact(c, expected);
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
        }
    }

    [Fact]
    public void The_mapped_vectors_file_is_advised_for_random_reads()
    {
        // A page fault must read the page a search needs, not the device's read-ahead window around it (8 MiB on the
        // bench machine's disk): the kernel shows the advice as the "rr" flag of the mapping in /proc/self/smaps.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Disk));
        c.UpsertMany(Plain(1000, seed: 21).Select((v, i) => new Record((ulong)i, v)));
        c.Compact();
        string file = Path.GetFullPath(Path.Combine(_temp.CollectionDirectory("c"), CheckpointManifest.VectorsFileName(CheckpointManifest.Read(_temp.CollectionDirectory("c")).Generation, 0)));
        string[] smaps = File.ReadAllLines("/proc/self/smaps");
        int mapping = Array.FindIndex(smaps, line => line.EndsWith(" " + file, StringComparison.Ordinal));
        Assert.True(mapping >= 0, $"{file} is not mapped");
        string flags = smaps.Skip(mapping + 1).First(line => line.StartsWith("VmFlags:", StringComparison.Ordinal));
        Assert.Contains(" rr", flags, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_written_after_a_checkpoint_take_ram_a_chunk_at_a_time_not_the_mapped_size_again()
    {
        // 1,024 rows fill 8 chunks exactly: all mapped, no RAM. One more row needs one chunk of RAM (doubling the whole
        // capacity, as an arena in RAM grows, would take 8: as much again as the file).
        long chunkBytes = RowsPerDiskChunk * 112L * sizeof(float);
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Disk));
        c.UpsertMany(Plain(1024, seed: 15).Select((v, i) => new Record((ulong)i, v)));
        c.Compact();
        VectorIndexStats stats = c.GetStats().VectorIndexes[0];
        Assert.Equal((0L, 8 * chunkBytes), (stats.VectorBytes, stats.MappedVectorBytes));
        c.Upsert(new Record(5000UL, Plain(1, seed: 16)[0]));
        stats = c.GetStats().VectorIndexes[0];
        Assert.Equal((chunkBytes, 8 * chunkBytes), (stats.VectorBytes, stats.MappedVectorBytes));
        Assert.Equal(chunkBytes, c.GetStats().Memory!.Vectors);
    }

    [Theory]
    [InlineData(QuantizationKind.Sq8, Metric.L2)]
    [InlineData(QuantizationKind.Binary, Metric.Cosine)]
    [InlineData(QuantizationKind.None, Metric.Dot)]
    public void Searches_return_the_same_ids_and_scores_as_with_the_vectors_in_ram(QuantizationKind kind, Metric metric)
    {
        float[][] data = Plain(1500, seed: 4);
        float[][] late = Plain(200, seed: 5); // written after the checkpoint: the RAM tail of the disk collection
        float[][] queries = Plain(40, seed: 6);
        var quantization = new QuantizationOptions { Kind = kind };
        using Database db = _temp.Open();
        Collection ram = db.CreateCollection("ram", Schema(quantization, VectorStorage.Ram, metric));
        Collection disk = db.CreateCollection("disk", Schema(quantization, VectorStorage.Disk, metric));
        foreach (Collection c in new[] { ram, disk })
        {
            c.UpsertMany(data.Select((v, i) => new Record((ulong)i, v)));
            c.Compact();
            c.UpsertMany(late.Select((v, i) => new Record((ulong)(10_000 + i), v)));
        }
        Assert.Equal(0, ram.GetStats().VectorIndexes[0].MappedVectorBytes);
        Assert.True(disk.GetStats().VectorIndexes[0].MappedVectorBytes >= 1408L * 112 * sizeof(float), "the disk collection maps its checkpointed rows");

        var options = new SearchOptions { TopK = 10, Ef = 64 };
        var exact = new SearchOptions { TopK = 10, Exact = true };
        foreach (float[] query in queries)
        {
            foreach (SearchOptions o in new[] { options, exact })
            {
                IReadOnlyList<SearchHit> expected = ram.Search(query, o);
                IReadOnlyList<SearchHit> actual = disk.Search(query, o);
                Assert.Equal(expected.Select(h => (h.Id.AsNumber, h.Score)), actual.Select(h => (h.Id.AsNumber, h.Score)));
            }
        }
    }

    [Fact]
    public async Task A_checkpoint_that_moves_rows_to_disk_under_a_running_search_frees_them_only_after_it()
    {
        // The first query of a batch search holds its read lease and waits inside the search while a checkpoint maps
        // the rows it could be reading (the RAM chunks) and the previous generation's file. Nothing may be freed or
        // deleted until the search has left; then both go.
        float[][] data = Plain(1000, seed: 7);
        float[][] more = Plain(1000, seed: 8); // as many as the first file holds: the checkpoint merges them into one file
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Disk));
        c.UpsertMany(data.Select((v, i) => new Record((ulong)i, v)));
        c.Compact(); // generation 1: maps rows 0-895
        c.UpsertMany(more.Select((v, i) => new Record((ulong)(1000 + i), v)));
        string oldFile = Path.Combine(_temp.CollectionDirectory("c"), CheckpointManifest.VectorsFileName(1, 0));
        Assert.True(File.Exists(oldFile));
        IReadOnlyList<SearchHit> before = c.Search(more[5], new SearchOptions { TopK = 10 });
        Assert.Equal(1005UL, before[0].Id.AsNumber);

        var state = c.Engine.StateForTests;
        using var searchInside = new ManualResetEventSlim();
        using var attached = new ManualResetEventSlim();
        int pendingAtAttach = -1;
        c.Engine.VectorsAttachedForTests = () => pendingAtAttach = state.Epochs.PendingCount;
        c.BatchQueryStartingForTests = i =>
        {
            searchInside.Set();
            Assert.True(attached.Wait(TimeSpan.FromSeconds(30)), "the checkpoint did not attach");
        };
        Task<IReadOnlyList<IReadOnlyList<SearchHit>>> search = Task.Run(() => c.SearchBatch([more[5]], new SearchOptions { TopK = 10 }));
        Assert.True(searchInside.Wait(TimeSpan.FromSeconds(30)), "the search did not start");

        c.Compact(); // generation 2: maps rows 0-1919; retires chunks 7-14 (RAM) and generation 1's mapping
        c.Engine.VectorsAttachedForTests = null;
        Assert.Equal(1, pendingAtAttach);          // the running search holds the grace period open
        Assert.Equal(1, state.Epochs.PendingCount);
        Assert.True(File.Exists(oldFile), "a file still mapped is not deleted");
        attached.Set();

        IReadOnlyList<SearchHit> during = (await search).Single();
        Assert.Equal(before.Select(h => (h.Id.AsNumber, h.Score)), during.Select(h => (h.Id.AsNumber, h.Score)));
        Assert.Equal(0, state.Epochs.PendingCount); // the search left: freed
        Assert.False(File.Exists(oldFile), "the old generation's file is deleted once unmapped");
        Assert.Equal(15L * RowsPerDiskChunk * 112 * sizeof(float), c.GetStats().VectorIndexes[0].MappedVectorBytes);
    }

    [Fact]
    public async Task Searches_running_through_repeated_checkpoints_return_what_the_ram_collection_returns()
    {
        // Several threads search without pause while the writer upserts and checkpoints; each checkpoint swaps RAM rows
        // for the new mapping. Every result must equal the same query on a collection in RAM with the same rows.
        float[][] data = Plain(2000, seed: 9);
        float[][] queries = Plain(20, seed: 10);
        using Database db = _temp.Open();
        Collection ram = db.CreateCollection("ram", Schema(QuantizationOptions.Sq8, VectorStorage.Ram));
        Collection disk = db.CreateCollection("disk", Schema(QuantizationOptions.Sq8, VectorStorage.Disk));
        ram.UpsertMany(data.Select((v, i) => new Record((ulong)i, v)));
        IReadOnlyList<SearchHit>[] expected = [.. queries.Select(q => ram.Search(q, new SearchOptions { TopK = 10, Exact = true }))];

        int overlapped = 0;
        disk.Engine.VectorsAttachedForTests = () =>
        {
            // Under the writer lock, right after the swap: memory still pending means a search was inside it.
            if (disk.Engine.StateForTests.Epochs.PendingCount > 0)
            {
                Interlocked.Increment(ref overlapped);
            }
        };
        using var stop = new CancellationTokenSource();
        int checks = 0;
        bool allIn = false;
        Task[] readers = [.. Enumerable.Range(0, 3).Select(t => Task.Run(() =>
        {
            int n = 0;
            while (!stop.IsCancellationRequested)
            {
                int q = (n++ + t) % queries.Length;
                bool complete = Volatile.Read(ref allIn); // read before the search: it then sees every row
                IReadOnlyList<SearchHit> hits = disk.Search(queries[q], new SearchOptions { TopK = 10, Exact = true });
                if (complete)
                {
                    Assert.Equal(expected[q].Select(h => (h.Id.AsNumber, h.Score)), hits.Select(h => (h.Id.AsNumber, h.Score)));
                    Interlocked.Increment(ref checks);
                }
            }
        }))];
        // Rows arrive in 10 slices; each is checkpointed. Searches that see fewer than all rows are only checked for
        // completing; once all rows are in, every answer must match.
        for (int slice = 0; slice < 10; slice++)
        {
            disk.UpsertMany(Enumerable.Range(slice * 200, 200).Select(i => new Record((ulong)i, data[i])));
            disk.Compact();
        }
        Volatile.Write(ref allIn, true);
        // Until a swap has met a running search (bounded by time, not by a round count: on a quiet machine the readers
        // can be between searches at a few swaps in a row).
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (int round = 0; Volatile.Read(ref overlapped) == 0 && DateTime.UtcNow < deadline; round++)
        {
            disk.Upsert(new Record(1_000_000UL + (ulong)round, Plain(1, seed: 100 + round)[0]));
            Assert.True(disk.Delete(1_000_000UL + (ulong)round));
            disk.Compact();
        }
        SpinWait.SpinUntil(() => Volatile.Read(ref checks) > 50, TimeSpan.FromSeconds(30));
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.True(Volatile.Read(ref overlapped) > 0, "no checkpoint swapped vectors while a search was running");
        Assert.True(checks > 50, $"only {checks} complete searches were checked");
        Assert.Equal(0, disk.Engine.StateForTests.Epochs.PendingCount);
    }

    [Fact]
    public void An_unknown_storage_setting_is_a_schema_error_that_names_it()
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("v", 8, Metric.L2, QuantizationOptions.Sq8, (VectorStorage)7));
        Assert.Contains("vector storage 7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'v'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_another_storage_than_the_stored_one_is_a_schema_error()
    {
        using Database db = _temp.Open();
        db.CreateCollection("c", new CollectionSchema().AddVector("v", 8, Metric.L2, QuantizationOptions.Sq8, VectorStorage.Ram));
        var ex = Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("c", new CollectionSchema().AddVector("v", 8, Metric.L2, QuantizationOptions.Sq8, VectorStorage.Disk)));
        Assert.Contains("storage Ram (stored) vs Disk (requested)", ex.Message, StringComparison.Ordinal);
        // Auto is its own setting, not "whatever it resolves to": a stored Ram is not an Auto.
        Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("c", new CollectionSchema().AddVector("v", 8, Metric.L2, QuantizationOptions.Sq8)));
    }

    [Theory]
    [InlineData(QuantizationKind.Sq8, VectorStorage.Auto, false)]
    [InlineData(QuantizationKind.None, VectorStorage.Auto, true)]
    [InlineData(QuantizationKind.Sq8, VectorStorage.Ram, true)]
    [InlineData(QuantizationKind.None, VectorStorage.Disk, false)]
    public void The_storage_setting_resolves_persists_and_picks_the_file_layout(QuantizationKind kind, VectorStorage storage, bool inRam)
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(new QuantizationOptions { Kind = kind }, storage));
            Assert.Equal(inRam, c.Schema.Vectors[0].VectorsInRam);
            c.UpsertMany(Vectors(300, seed: 11).Select((v, i) => new Record((ulong)i, v)));
            c.Compact();
            Assert.Equal(inRam, c.GetStats().VectorIndexes[0].VectorsInRam);
            Assert.Equal(inRam, c.GetStats().Memory!.VectorsMapped == 0);
        }
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.Equal(storage, c.Schema.Vectors[0].Storage);
            Assert.Equal(inRam, c.GetStats().Memory!.VectorsMapped == 0);
        }
        string directory = _temp.CollectionDirectory("c");
        byte[] header = File.ReadAllBytes(Path.Combine(directory, CheckpointManifest.VectorsFileName(CheckpointManifest.Read(directory).Generation, 0)))[..16];
        Assert.Equal(inRam ? 1u : 2u, BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8)));
        string manifest = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(directory, CheckpointManifest.FileName)));
        Assert.Equal(storage != VectorStorage.Auto, manifest.Contains("\"storage\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_collection_checkpointed_in_the_old_layout_opens_in_ram_and_maps_at_its_next_checkpoint()
    {
        // A quantized collection written before vectors on disk existed: version 1 vectors file, no storage in the
        // manifest. Made here by writing with Ram and then taking the setting out of the manifest.
        float[][] data = Vectors(600, seed: 12);
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Ram));
            c.UpsertMany(data.Select((v, i) => new Record((ulong)i, v)));
            c.Compact();
        }
        string directory = _temp.CollectionDirectory("c");
        CheckpointManifest old = CheckpointManifest.Read(directory);
        new CheckpointManifest
        {
            Generation = old.Generation,
            Lsn = old.Lsn,
            RecordCount = old.RecordCount,
            CreatedAt = old.CreatedAt,
            Schema = Schema(QuantizationOptions.Sq8, VectorStorage.Auto),
            PayloadIndexes = old.PayloadIndexes,
            Files = old.Files,
        }.WriteAtomic(FileSystemStorage.Instance, directory);

        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("c")!;
            Assert.False(c.Schema.Vectors[0].VectorsInRam);
            Assert.Equal(0, c.GetStats().Memory!.VectorsMapped); // version 1 is read into RAM
            AssertBitExact(data[17], c.Get(17UL)?.Vector, "Get(17) from the old layout");
            c.Upsert(new Record(9999UL, data[0]));
            c.Compact();
            Assert.Equal(4L * RowsPerDiskChunk * 112 * sizeof(float), c.GetStats().Memory!.VectorsMapped);
            AssertBitExact(data[17], c.Get(17UL)?.Vector, "Get(17) mapped");
        }
    }

    [Fact]
    public void Verify_reports_non_zero_padding_in_a_mapped_vectors_file_whose_checksum_matches()
    {
        // Searches read each row's padding (kernels run over the whole stride), so padding that is not zero changes
        // scores while every stored value reads back right. The checksum cannot tell (it is recomputed here, as a bad
        // writer would have); verify must.
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Disk));
            c.UpsertMany(Vectors(300, seed: 14).Select((v, i) => new Record((ulong)i, v)));
            c.Compact();
        }
        string directory = _temp.CollectionDirectory("c");
        CheckpointManifest manifest = CheckpointManifest.Read(directory);
        string name = CheckpointManifest.VectorsFileName(manifest.Generation, 0);
        string file = Path.Combine(directory, name);
        byte[] bytes = File.ReadAllBytes(file);
        long at = 64 + (7L * 112 * sizeof(float)) + (Dimension * sizeof(float)) + 8; // row 7, third padding float
        bytes[at] = 0x3F;
        File.WriteAllBytes(file, bytes);
        new CheckpointManifest
        {
            Generation = manifest.Generation,
            Lsn = manifest.Lsn,
            RecordCount = manifest.RecordCount,
            CreatedAt = manifest.CreatedAt,
            Schema = manifest.Schema,
            PayloadIndexes = manifest.PayloadIndexes,
            Files = [.. manifest.Files.Select(f => f.Name == name ? f with { Crc = Checksum.Compute(bytes) } : f)],
        }.WriteAtomic(FileSystemStorage.Instance, directory);

        VerifyReport report = Database.Verify(_temp.Path);
        VerifyFinding finding = Assert.Single(report.Findings);
        Assert.EndsWith(name, finding.FilePath, StringComparison.Ordinal);
        Assert.Equal(at, finding.Offset);
        Assert.Contains("row 7's padding", finding.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_and_open_report_a_damaged_mapped_vectors_file()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(QuantizationOptions.Sq8, VectorStorage.Disk));
            c.UpsertMany(Vectors(300, seed: 13).Select((v, i) => new Record((ulong)i, v)));
            c.Compact();
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
        }
        string directory = _temp.CollectionDirectory("c");
        string file = Path.Combine(directory, CheckpointManifest.VectorsFileName(CheckpointManifest.Read(directory).Generation, 0));
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 64 + (200 * 112 * sizeof(float)) + 12; // row 200, component 3
            int b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0x40));
        }
        VerifyReport report = Database.Verify(_temp.Path);
        Assert.False(report.IsIntact);
        Assert.Contains(report.Collections.Single().Findings, f => f.FilePath.EndsWith(".vlvec", StringComparison.Ordinal));
        Assert.Throws<CorruptFileException>(() =>
        {
            using Database db = _temp.Open();
            db.GetCollection("c");
        });
    }
}
