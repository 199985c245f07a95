using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>Torn log tails are dropped and reported; damaged files are errors naming the file, never wrong answers.</summary>
public sealed class RecoveryTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    [Fact]
    public void Truncating_the_log_anywhere_inside_its_last_batch_drops_exactly_that_batch()
    {
        long before;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(3, 4));
            before = new FileInfo(WalPath).Length;
            c.UpsertMany([
                new Record(100, new float[] { 1, 2, 3, 4 }, new JsonObject { ["x"] = 1 }),
                new Record(101, new float[] { 5, 6, 7, 8 }),
            ]);
        }
        byte[] full = File.ReadAllBytes(WalPath);
        string pristine = Path.Combine(_temp.Path, "wal.pristine");
        File.WriteAllBytes(pristine, full);

        for (long cut = before + 1; cut <= full.Length; cut++)
        {
            File.WriteAllBytes(WalPath, full.AsSpan(0, (int)cut).ToArray());
            using (Database db = _temp.Open())
            {
                Collection c = db.GetCollection("docs");
                bool complete = cut == full.Length;
                Assert.Equal(complete ? 5 : 3, c.Count());
                Assert.Equal(complete, c.Get(100) is not null);
                Assert.Equal(complete, c.Get(101) is not null); // never half a batch
                CollectionStats stats = c.GetStats();
                Assert.Equal(complete ? 0 : cut - before, stats.TornTailBytesDropped);
                Assert.Equal(complete, stats.TornTailReason is null);
                // The writer cut the torn tail off, so new writes land on a clean log.
                c.Upsert(new Record(200, new float[] { 1, 1, 1, 1 }));
            }
            using (Database db = _temp.Open())
            {
                Collection c = db.GetCollection("docs");
                Assert.NotNull(c.Get(200));
                Assert.Equal(0, c.GetStats().TornTailBytesDropped);
            }
        }
    }

    [Fact]
    public void A_flipped_bit_in_the_last_batch_is_a_dropped_tail()
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(3, 4));
            c.Upsert(new Record(100, new float[] { 1, 2, 3, 4 }));
        }
        byte[] wal = File.ReadAllBytes(WalPath);
        wal[^3] ^= 0x10;
        File.WriteAllBytes(WalPath, wal);
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(3, c.Count());
            Assert.Contains("checksum", c.GetStats().TornTailReason);
        }
    }

    [Theory]
    [InlineData("checkpoint.vlck", 40)]
    [InlineData("g1.records.vlrec", 45)]
    [InlineData("g1.vec0.vlvec", 100)]
    [InlineData("wal.vlwal", 3)]
    public void A_damaged_file_is_an_error_that_names_it(string file, int offset)
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(20, 4));
            c.Compact();
        }
        string path = Path.Combine(_temp.CollectionDirectory("docs"), file);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[offset] ^= 0x01;
        File.WriteAllBytes(path, bytes);

        using Database reopened = _temp.Open();
        var ex = Assert.Throws<CorruptFileException>(() => reopened.GetCollection("docs"));
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(file, ex.Message);
        Assert.Equal(VectLiteErrorCode.CorruptFile, ex.Code);
    }

    [Fact]
    public void A_missing_data_file_is_an_error_that_names_it()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2)).UpsertMany(TestData.Records(5, 4));
            db.GetCollection("docs").Compact();
        }
        File.Delete(Path.Combine(_temp.CollectionDirectory("docs"), "g1.vec0.vlvec"));
        using Database reopened = _temp.Open();
        var ex = Assert.Throws<CorruptFileException>(() => reopened.GetCollection("docs"));
        Assert.Contains("g1.vec0.vlvec", ex.Message);
        Assert.Contains("missing", ex.Message);
    }

    [Fact]
    public void A_damaged_database_manifest_is_an_error()
    {
        using (_temp.Open())
        {
        }
        string manifest = Path.Combine(_temp.Path, "vectlite.db");
        byte[] bytes = File.ReadAllBytes(manifest);
        bytes[20] ^= 0xFF;
        File.WriteAllBytes(manifest, bytes);
        var ex = Assert.Throws<CorruptFileException>(() => _temp.Open());
        Assert.Equal(manifest, ex.FilePath);
    }

    [Fact]
    public void Leftovers_of_an_interrupted_checkpoint_are_ignored_and_removed()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2)).UpsertMany(TestData.Records(5, 4));
        }
        string dir = _temp.CollectionDirectory("docs");
        // What a crash between writing the data files and replacing the manifest leaves behind.
        File.WriteAllText(Path.Combine(dir, "g1.records.vlrec"), "half written");
        File.WriteAllText(Path.Combine(dir, "g1.vec0.vlvec.tmp"), "half written");
        File.WriteAllText(Path.Combine(dir, "checkpoint.vlck.tmp"), "half written");
        Directory.CreateDirectory(Path.Combine(_temp.Path, "collections", ".tmp-half-created"));

        using (Database db = _temp.Open())
        {
            Assert.Equal(5, db.GetCollection("docs").Count());
            Assert.Equal(["docs"], db.ListCollections());
        }
        Assert.False(File.Exists(Path.Combine(dir, "g1.records.vlrec")));
        Assert.False(File.Exists(Path.Combine(dir, "g1.vec0.vlvec.tmp")));
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "collections", ".tmp-half-created")));
    }

    [Fact]
    public void A_log_still_holding_batches_the_checkpoint_includes_replays_only_newer_ones()
    {
        // The state a crash leaves between replacing the manifest and truncating the log.
        string dir = _temp.CollectionDirectory("docs");
        byte[] oldWal;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(5, 4));
            c.Delete(0);
            oldWal = File.ReadAllBytes(Path.Combine(dir, "wal.vlwal"));
            c.Compact();
            c.Upsert(new Record(0, new float[] { 1, 1, 1, 1 }));
        }
        byte[] newWal = File.ReadAllBytes(Path.Combine(dir, "wal.vlwal"));
        File.WriteAllBytes(Path.Combine(dir, "wal.vlwal"), [.. oldWal, .. newWal.AsSpan(32).ToArray()]);
        using (Database db = _temp.Open())
        {
            Collection c = db.GetCollection("docs");
            Assert.Equal(5, c.Count());
            Assert.Equal(new float[] { 1, 1, 1, 1 }, c.Get(0)!.Vector!.Value.ToArray());
            Assert.Equal(0, c.GetStats().TornTailBytesDropped);
        }
    }
}
