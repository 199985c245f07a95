namespace VectLite.Tests.Engine;

public sealed class DatabaseTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Create_get_list_and_drop_collections()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("b", CollectionSchema.SingleVector(4));
            db.CreateCollection("a", CollectionSchema.MetadataOnly());
            Assert.Equal(["a", "b"], db.ListCollections());
            Assert.True(db.CollectionExists("a"));
            Assert.Equal("b", db.GetCollection("b").Name);
            Assert.True(db.DropCollection("a"));
            Assert.False(db.DropCollection("a"));
            Assert.Equal(["b"], db.ListCollections());
        }

        using (Database reopened = _temp.Open())
        {
            Assert.Equal(["b"], reopened.ListCollections());
            Assert.Equal(4, reopened.GetCollection("b").Schema.Vectors[0].Dimension);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("../evil")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    [InlineData("a..b")]
    [InlineData("with space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void Bad_collection_names_are_rejected(string name)
    {
        using Database db = _temp.Open();
        var ex = Assert.Throws<InvalidNameException>(() => db.CreateCollection(name, CollectionSchema.MetadataOnly()));
        Assert.Equal(VectLiteErrorCode.InvalidName, ex.Code);
        Assert.Empty(db.ListCollections());
    }

    [Fact]
    public void Duplicate_and_missing_collections_are_clear_errors()
    {
        using Database db = _temp.Open();
        db.CreateCollection("docs", CollectionSchema.SingleVector(4));
        Assert.Throws<CollectionExistsException>(() => db.CreateCollection("docs", CollectionSchema.SingleVector(4)));
        Assert.Throws<CollectionExistsException>(() => db.CreateCollection("DOCS", CollectionSchema.SingleVector(4)));
        var missing = Assert.Throws<CollectionNotFoundException>(() => db.GetCollection("nope"));
        Assert.Contains("nope", missing.Message);
        Assert.False(db.TryGetCollection("../x", out _));
    }

    [Fact]
    public void GetOrCreate_returns_existing_and_rejects_a_different_schema()
    {
        using Database db = _temp.Open();
        Collection first = db.GetOrCreateCollection("docs", CollectionSchema.SingleVector(4));
        Assert.Same(first, db.GetOrCreateCollection("docs", CollectionSchema.SingleVector(4)));
        Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("docs", CollectionSchema.SingleVector(5)));
    }

    [Fact]
    public void A_dropped_collection_handle_reports_not_found()
    {
        using Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        docs.Upsert(new Record(1, new float[] { 1, 2 }));
        db.DropCollection("docs");
        Assert.Throws<CollectionNotFoundException>(() => docs.Get(1));
        Assert.Throws<CollectionNotFoundException>(() => docs.Upsert(new Record(2, new float[] { 1, 2 })));
        Collection again = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        Assert.Equal(0, again.Count());
    }

    [Fact]
    public void Read_only_open_reads_and_rejects_every_write()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(new Record(1, new float[] { 1, 2 }));
        }
        using Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true });
        Collection docs = ro.GetCollection("docs");
        Assert.NotNull(docs.Get(1));
        Assert.Throws<ReadOnlyDatabaseException>(() => docs.Upsert(new Record(2, new float[] { 1, 2 })));
        Assert.Throws<ReadOnlyDatabaseException>(() => docs.Delete(1));
        Assert.Throws<ReadOnlyDatabaseException>(() => docs.Compact());
        Assert.Throws<ReadOnlyDatabaseException>(() => docs.CreatePayloadIndex("x", PayloadIndexKind.Keyword));
        Assert.Throws<ReadOnlyDatabaseException>(() => ro.CreateCollection("other", CollectionSchema.MetadataOnly()));
        Assert.Throws<ReadOnlyDatabaseException>(() => ro.DropCollection("docs"));
    }

    [Fact]
    public void Read_only_open_of_a_missing_directory_fails()
    {
        Assert.Throws<DirectoryNotFoundException>(() => _temp.Open(new DatabaseOptions { ReadOnly = true }));
    }

    [Fact]
    public void A_non_empty_directory_without_a_manifest_is_refused()
    {
        Directory.CreateDirectory(_temp.Path);
        File.WriteAllText(Path.Combine(_temp.Path, "important.txt"), "user data");
        var ex = Assert.Throws<CorruptFileException>(() => _temp.Open());
        Assert.Contains("not a VectLite database", ex.Message);
        Assert.True(File.Exists(Path.Combine(_temp.Path, "important.txt")));
    }

    [Fact]
    public void Disposed_database_handles_throw_ObjectDisposed()
    {
        Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", CollectionSchema.MetadataOnly());
        db.Dispose();
        Assert.Throws<ObjectDisposedException>(() => docs.Count());
        Assert.Throws<ObjectDisposedException>(() => db.ListCollections());
        using Database again = _temp.Open(); // the lock was released
    }

    [Fact]
    public void Sync_modes_parse_compare_and_switch()
    {
        Assert.Equal(SyncMode.PerOp, SyncMode.Parse("perop"));
        Assert.Equal(SyncMode.OnFlush, SyncMode.Parse("OnFlush"));
        Assert.Equal(SyncMode.EveryN(8), SyncMode.Parse("EveryN(8)"));
        Assert.Equal(SyncMode.EveryN(8), SyncMode.Parse("every:8"));
        Assert.Equal(SyncMode.PerOp, SyncMode.EveryN(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyncMode.EveryN(0));
        Assert.Throws<FormatException>(() => SyncMode.Parse("sometimes"));

        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        docs.Upsert(new Record(1, new float[] { 1, 2 }));
        db.SyncMode = SyncMode.EveryN(4); // stricter: syncs at once
        Assert.Equal(SyncMode.EveryN(4), db.SyncMode);
        for (int i = 2; i < 10; i++)
        {
            docs.Upsert(new Record(i, new float[] { 1, i }));
        }
        db.Flush();
        Assert.Equal(9, docs.Count());
    }

    [Fact]
    public async Task Read_only_opens_succeed_while_a_writer_keeps_checkpointing()
    {
        using Database writer = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection docs = writer.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2).WithHnsw(HnswOptions.Disabled));
        docs.UpsertMany(TestData.Records(500, 8));
        using var stop = new CancellationTokenSource();
        Task churn = Task.Run(() =>
        {
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                docs.UpsertMany(TestData.Records(500, 8, seed: i)); // same ids: the count stays 500
                docs.Compact();
            }
        });
        for (int i = 0; i < 30; i++)
        {
            using Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true, Unshared = true }); // as another process
            Assert.Equal(500, reader.GetCollection("docs").Count());
        }
        stop.Cancel();
        await churn;
    }
}
