using System.Buffers.Binary;
using VectLite.Storage;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Checkpointing;

/// <summary>
/// Vector segments: a checkpoint writes only the rows added since the previous one and keeps the earlier vectors files,
/// merging the newest as they pile up; every read, reopen, read-only open, verify and backup sees all the rows bit for
/// bit; a compaction writes one file again; a damaged earlier file is reported, never silently skipped.
/// </summary>
public sealed class VectorSegmentTests : IDisposable
{
    /// <summary>Not a multiple of 16 (stride 112 floats); an on-disk arena holds 128 rows a chunk, so segments of 100 rows split chunks.</summary>
    private const int Dimension = 100;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static float[] Vector(int id)
    {
        var random = new Random(id);
        var vector = new float[Dimension];
        for (int d = 0; d < Dimension; d++)
        {
            vector[d] = (float)((random.NextDouble() * 2) - 1);
        }
        vector[id % Dimension] = -0f; // bits a lossy path would change
        return vector;
    }

    private static CollectionSchema Schema(VectorStorage storage) =>
        new CollectionSchema().AddVector("v", Dimension, Metric.L2, QuantizationOptions.None, storage)
            .WithHnsw(new HnswOptions { MinIndexedVectors = 1_000_000 }); // no graph: the vectors files are what is tested

    /// <summary>The rows each of vector 0's files holds, earliest first, as the manifest on disk says.</summary>
    private int[] SegmentRows(string collection = "c")
    {
        CheckpointManifest manifest = CheckpointManifest.Read(_temp.CollectionDirectory(collection));
        return [.. manifest.SegmentsOf(0).Select(s => s.Rows)];
    }

    private static void AssertAll(Collection c, int count)
    {
        Assert.Equal(count, c.Count());
        for (int id = 0; id < count; id++)
        {
            float[] got = c.Get((ulong)id)!.Vector!.Value.ToArray();
            float[] expected = Vector(id);
            for (int d = 0; d < Dimension; d++)
            {
                if (BitConverter.SingleToInt32Bits(got[d]) != BitConverter.SingleToInt32Bits(expected[d]))
                {
                    Assert.Fail($"record {id}, component {d}: {got[d]:R}, written {expected[d]:R}");
                }
            }
        }
        // The exact scan reads every row through the arena: the nearest record to each probe is itself.
        foreach (int id in new[] { 0, 99, 100, 127, 128, 255, 256, count - 1 }.Where(i => i < count))
        {
            Assert.Equal((ulong)id, c.Search(Vector(id), new SearchOptions { TopK = 1, Exact = true }).Single().Id.AsNumber);
        }
    }

    /// <summary>Creates collection "c" (vectors on disk) with 300 rows in three checkpoints of 100: files of 200 and 100 rows.</summary>
    private void CreateWithThreeCheckpoints()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("c", Schema(VectorStorage.Disk));
        for (int step = 0; step < 3; step++)
        {
            Append(c, step * 100, 100);
            c.Compact();
        }
    }

    /// <summary>Opening collection "c" fails with a <see cref="CorruptFileException"/> naming <paramref name="fileName"/>.</summary>
    private void AssertOpenFailsOn(string fileName)
    {
        var ex = Assert.Throws<CorruptFileException>(() =>
        {
            using Database db = _temp.Open();
            db.GetCollection("c");
        });
        Assert.EndsWith(fileName, ex.FilePath, StringComparison.Ordinal);
    }

    private static void Append(Collection c, int from, int count) =>
        c.UpsertMany(Enumerable.Range(from, count).Select(i => new Record((ulong)i, Vector(i))));

    [Theory]
    [InlineData(VectorStorage.Disk)]
    [InlineData(VectorStorage.Ram)]
    public void Each_checkpoint_writes_the_new_rows_only_and_merges_files_like_a_binary_counter(VectorStorage storage)
    {
        // 100 rows per checkpoint: the files' sizes follow a binary counter, worked out by hand from the rule "merge the
        // newest kept file into the new one while it holds no more rows than the new one would".
        int[][] expected =
        [
            [100], [200], [200, 100], [400], [400, 100], [400, 200], [400, 200, 100], [800],
        ];
        string directory = _temp.CollectionDirectory("c");
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(storage));
            for (int step = 0; step < expected.Length; step++)
            {
                Append(c, step * 100, 100);
                c.Compact();
                Assert.Equal(expected[step], SegmentRows());
                // This generation's file holds only the rows after the kept ones: its length says what was written.
                CheckpointManifest manifest = CheckpointManifest.Read(directory);
                long newest = new FileInfo(Path.Combine(directory, CheckpointManifest.VectorsFileName(manifest.Generation, 0))).Length;
                long rows = expected[step][^1];
                Assert.Equal(storage == VectorStorage.Disk ? 64 + (rows * 112 * 4) : 32 + (rows * Dimension * 4), newest);
                // Only the listed files are left: merged-away ones are deleted (or go when their mapping closes).
                string[] listed = [.. manifest.SegmentsOf(0).Select(s => s.File.Name)];
                Assert.Equal(listed.Order(), Directory.GetFiles(directory, "*.vlvec").Select(Path.GetFileName).Order()!);
                AssertAll(c, (step + 1) * 100);
            }
        }
        using (Database db = _temp.Open())
        {
            AssertAll(db.GetCollection("c"), 800);
        }
    }

    [Fact]
    public void A_collection_with_segments_reopens_read_only_verifies_backs_up_and_restores_with_every_row()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", Schema(VectorStorage.Disk));
            for (int step = 0; step < 3; step++)
            {
                Append(c, step * 100, 100);
                c.Compact();
            }
            Append(c, 300, 50); // in the log only
            Assert.Equal([200, 100], SegmentRows());
            Assert.True(c.Verify().IsIntact, string.Join("; ", c.Verify().Findings));
            BackupReport backup = db.Backup(Path.Combine(_temp.Path, "..", Path.GetFileName(_temp.Path) + "-backup"));
            Assert.True(backup.Collections.Single().Bytes > 0);
        }
        // The manifest says it needs a build that reads segments.
        byte[] manifestBytes = File.ReadAllBytes(Path.Combine(_temp.CollectionDirectory("c"), CheckpointManifest.FileName));
        Assert.Equal(3u, BinaryPrimitives.ReadUInt32LittleEndian(manifestBytes.AsSpan(8)));

        using (Database db = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            AssertAll(db.GetCollection("c"), 350);
        }
        string backupPath = Path.Combine(_temp.Path, "..", Path.GetFileName(_temp.Path) + "-backup");
        try
        {
            Assert.True(Database.Verify(backupPath).IsIntact, string.Join("; ", Database.Verify(backupPath).Findings));
            using Database restored = Database.Open(backupPath);
            AssertAll(restored.GetCollection("c"), 350);
        }
        finally
        {
            Directory.Delete(backupPath, recursive: true);
        }
    }

    [Fact]
    public void A_compaction_that_renumbers_rows_writes_one_file_again()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("c", Schema(VectorStorage.Disk));
        for (int step = 0; step < 3; step++)
        {
            Append(c, step * 100, 100);
            c.Compact();
        }
        Assert.Equal([200, 100], SegmentRows());
        c.Delete((ulong)5);
        c.Compact();
        Assert.Equal([299], SegmentRows());
        Assert.Null(c.Get((ulong)5));
        Assert.Equal(299, c.Count());
        Append(c, 300, 100);
        c.Compact();
        Assert.Equal([299, 100], SegmentRows());
        Assert.Equal(Vector(350), c.Get((ulong)350)!.Vector!.Value.ToArray());
        Assert.Equal(Vector(4), c.Get((ulong)4)!.Vector!.Value.ToArray());
    }

    [Fact]
    public void A_damaged_earlier_file_fails_the_open_and_verify_names_it()
    {
        CreateWithThreeCheckpoints();
        string directory = _temp.CollectionDirectory("c");
        CheckpointManifest manifest = CheckpointManifest.Read(directory);
        VectorSegment first = manifest.SegmentsOf(0)[0];
        Assert.NotEqual(manifest.Generation, long.Parse(first.File.Name[1..first.File.Name.IndexOf('.')], System.Globalization.CultureInfo.InvariantCulture));
        string path = Path.Combine(directory, first.File.Name);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = 64 + (150L * 112 * 4) + 8; // row 150, component 2
            int b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0x10));
        }

        VerifyReport report = Database.Verify(_temp.Path);
        VerifyFinding finding = Assert.Single(report.Findings);
        Assert.EndsWith(first.File.Name, finding.FilePath, StringComparison.Ordinal);
        AssertOpenFailsOn(first.File.Name);
    }

    [Fact]
    public void A_checkpoint_that_merges_a_damaged_earlier_file_fails_and_commits_nothing()
    {
        // The merged rows are copied from the earlier file, read and checked against the manifest's checksum: damage
        // on disk fails the checkpoint instead of going into a new file under a fresh checksum.
        CreateWithThreeCheckpoints();
        string directory = _temp.CollectionDirectory("c");
        VectorSegment last = CheckpointManifest.Read(directory).SegmentsOf(0)[1];
        Assert.Equal(100, last.Rows);
        string path = Path.Combine(directory, last.File.Name);
        using Database db = _temp.Open();
        Collection c = db.GetCollection("c");
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
        {
            stream.Position = 64 + (40L * 112 * 4) + 4; // row 240, component 1
            int b = stream.ReadByte();
            stream.Position--;
            stream.WriteByte((byte)(b ^ 0x01));
        }
        Append(c, 300, 100); // 100 new rows: the checkpoint merges the 100-row file into its new one
        var ex = Assert.Throws<CorruptFileException>(() => c.Compact());
        Assert.EndsWith(last.File.Name, ex.FilePath, StringComparison.Ordinal);
        Assert.Equal(3, CheckpointManifest.Read(directory).Generation);
        Assert.Equal(400, c.Count());
    }

    [Fact]
    public void A_missing_earlier_file_fails_the_open_and_a_clean_up_never_deletes_one()
    {
        CreateWithThreeCheckpoints();
        string directory = _temp.CollectionDirectory("c");
        // A writer open removes files of other generations: not the earlier segments the manifest lists.
        using (Database db = _temp.Open())
        {
            AssertAll(db.GetCollection("c"), 300);
        }
        VectorSegment first = CheckpointManifest.Read(directory).SegmentsOf(0)[0];
        Assert.True(File.Exists(Path.Combine(directory, first.File.Name)));
        File.Delete(Path.Combine(directory, first.File.Name));
        AssertOpenFailsOn(first.File.Name);
    }

    [Fact]
    public void Changing_the_runtime_settings_keeps_the_segments_and_the_token_counts_in_the_manifest()
    {
        CollectionSchema schema = Schema(VectorStorage.Disk).AddMultiVector("m", 4, Metric.Cosine);
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", schema);
            for (int step = 0; step < 3; step++)
            {
                c.UpsertMany(Enumerable.Range(step * 100, 100).Select(i => new Record((ulong)i, Vector(i))
                {
                    MultiVectors = { ["m"] = [new float[] { 1, 0, 0, i }, new float[] { 0, 1, 0, i }] },
                }));
                c.Compact();
            }
            c.UpdateOptions(new HnswOptions { MinIndexedVectors = 1_000_000, EfSearch = 77 });
        }
        CheckpointManifest manifest = CheckpointManifest.Read(_temp.CollectionDirectory("c"));
        Assert.Equal(77, manifest.Schema.Hnsw.EfSearch);
        Assert.Equal([200, 100], manifest.SegmentsOf(0).Select(s => s.Rows));
        Assert.Equal([600], manifest.MultiVectorTokens);
        using (Database db = _temp.Open())
        {
            AssertAll(db.GetCollection("c"), 300);
        }
    }

    [Theory]
    [InlineData("g9.vec0.vlvec", 0, 100, "earlier generation")] // not earlier than the manifest's generation
    [InlineData("g1.vec1.vlvec", 0, 100, "earlier generation")] // another vector's file
    [InlineData("../g1.vec0.vlvec", 0, 100, "earlier generation")] // outside the directory
    [InlineData("g1.vec0.vlvec", 5, 100, "from row 0")] // does not start at row 0
    [InlineData("g1.vec0.vlvec", 0, 1000, "from row 0")] // past the record count
    public void A_manifest_whose_segments_the_writer_cannot_have_written_is_damage(string name, int firstRow, int rows, string problem)
    {
        CreateWithThreeCheckpoints();
        string directory = _temp.CollectionDirectory("c");
        CheckpointManifest manifest = CheckpointManifest.Read(directory);
        Assert.Equal(3, manifest.Generation);
        VectorSegment kept = manifest.EarlierSegments[0][0];
        (manifest with
        {
            EarlierSegments = [[kept with { File = kept.File with { Name = name }, FirstRow = firstRow, Rows = rows }]],
        }).WriteAtomic(FileSystemStorage.Instance, directory);
        var ex = Assert.Throws<CorruptFileException>(() => CheckpointManifest.Read(directory));
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
    }
}
