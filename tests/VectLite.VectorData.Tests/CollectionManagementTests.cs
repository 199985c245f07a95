using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class CollectionManagementTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task EnsureCollectionExists_creates_the_collection_once_and_lists_it()
    {
        var hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        Assert.False(await hotels.CollectionExistsAsync());
        Assert.False(await _temp.Store.CollectionExistsAsync("hotels"));

        await hotels.EnsureCollectionExistsAsync();
        await hotels.EnsureCollectionExistsAsync(); // idempotent

        Assert.True(await hotels.CollectionExistsAsync());
        Assert.True(await _temp.Store.CollectionExistsAsync("hotels"));
        Assert.Equal(["hotels"], await _temp.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task EnsureCollectionExists_builds_the_engine_schema_from_the_model()
    {
        var multi = _temp.Store.GetCollection<long, MultiVector>("multi");
        await multi.EnsureCollectionExistsAsync();

        var engine = (Collection)multi.GetService(typeof(Collection))!;
        Assert.Equal(
            [new VectorSpec("text_vector", 3, Metric.L2), new VectorSpec("ImageVector", 2, Metric.Dot)],
            engine.Schema.Vectors);
    }

    [Fact]
    public async Task EnsureCollectionExists_creates_payload_indexes_for_indexed_properties()
    {
        var hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await hotels.EnsureCollectionExistsAsync();

        var engine = (Collection)hotels.GetService(typeof(Collection))!;
        Assert.Equal(
            [("Name", PayloadIndexKind.Keyword), ("Rating", PayloadIndexKind.Numeric), ("IsOpen", PayloadIndexKind.Bool), ("Tags", PayloadIndexKind.Keyword)],
            engine.GetStats().PayloadIndexes);
    }

    [Fact]
    public async Task EnsureCollectionExists_on_a_collection_with_other_vectors_is_a_VectorStoreException()
    {
        await _temp.Store.GetCollection<int, Hotel>("shared").EnsureCollectionExistsAsync();

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => _temp.Store.GetCollection<long, MultiVector>("shared").EnsureCollectionExistsAsync());
        Assert.IsType<SchemaException>(ex.InnerException);
        Assert.Equal("vectlite", ex.VectorStoreSystemName);
        Assert.Equal("shared", ex.CollectionName);
        Assert.Equal("EnsureCollectionExists", ex.OperationName);
    }

    [Fact]
    public async Task EnsureCollectionDeleted_removes_the_collection_and_ignores_a_missing_one()
    {
        var hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await hotels.EnsureCollectionExistsAsync();

        await hotels.EnsureCollectionDeletedAsync();
        await hotels.EnsureCollectionDeletedAsync();
        await _temp.Store.EnsureCollectionDeletedAsync("never-created");

        Assert.False(await hotels.CollectionExistsAsync());
        Assert.Empty(await _temp.Store.ListCollectionNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task Data_operations_on_a_missing_collection_throw_a_VectorStoreException_that_says_so()
    {
        var hotels = _temp.Store.GetCollection<int, Hotel>("missing");

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => hotels.UpsertAsync(new Hotel { Id = 1, Embedding = new float[4] }));
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<VectorStoreException>(() => hotels.GetAsync(1));
    }

    [Fact]
    public async Task Records_survive_closing_and_reopening_the_store()
    {
        string path = TempDirectory.NewPath();
        try
        {
            using (var store = new VectLiteVectorStore(path))
            {
                var hotels = store.GetCollection<int, Hotel>("hotels");
                await hotels.EnsureCollectionExistsAsync();
                await hotels.UpsertAsync(new Hotel { Id = 7, Name = "Kept", Embedding = new float[] { 1, 2, 3, 4 } });
            }

            using (var store = new VectLiteVectorStore(path))
            {
                Hotel? hotel = await store.GetCollection<int, Hotel>("hotels").GetAsync(7);
                Assert.Equal("Kept", hotel?.Name);
            }
        }
        finally
        {
            TempDirectory.Delete(path);
        }
    }

    [Fact]
    public async Task Stores_collections_and_the_engine_opened_on_one_path_share_the_database()
    {
        // Each opens its own Database handle; the engine behind them is one, so none is locked out by another.
        using var collection = new VectLiteCollection<int, Hotel>(_temp.Path, "hotels");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync(new Hotel { Id = 1, Name = "Shared", Embedding = new float[4] });

        using (var second = new VectLiteVectorStore(_temp.Path))
        {
            Assert.Equal("Shared", (await second.GetCollection<int, Hotel>("hotels").GetAsync(1))?.Name);
        }

        // Disposing one user leaves the database open for the others.
        Assert.Equal("Shared", (await collection.GetAsync(1))?.Name);

        // The engine API on the same path, beside the connector: each sees the other's writes at once.
        using (Database engine = Database.Open(_temp.Path))
        {
            Assert.Equal("Shared", (string?)engine.GetCollection("hotels").Get(1)!.Payload!["Name"]);
            engine.GetCollection("hotels").UpdatePayload(1, new() { ["Name"] = "Renamed" });
            Assert.Equal("Renamed", (await collection.GetAsync(1))?.Name);
            await collection.UpsertAsync(new Hotel { Id = 2, Name = "Second", Embedding = new float[4] });
            Assert.Equal(2, engine.GetCollection("hotels").Count());
        }
        Assert.Equal("Renamed", (await _temp.Store.GetCollection<int, Hotel>("hotels").GetAsync(1))?.Name);
    }

    [Fact]
    public async Task A_read_only_store_on_a_database_open_for_writing_reads_live_data_and_refuses_writes()
    {
        var hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await hotels.EnsureCollectionExistsAsync();
        var readOnly = new VectLiteVectorStoreOptions { DatabaseOptions = new DatabaseOptions { ReadOnly = true } };
        using var view = new VectLiteVectorStore(_temp.Path, readOnly);
        var viewed = view.GetCollection<int, Hotel>("hotels");

        await hotels.UpsertAsync(new Hotel { Id = 1, Name = "Live", Embedding = new float[4] });
        Assert.Equal("Live", (await viewed.GetAsync(1))?.Name);
        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => viewed.UpsertAsync(new Hotel { Id = 2, Name = "No", Embedding = new float[4] }));
        Assert.IsType<ReadOnlyDatabaseException>(ex.InnerException);
        Assert.Null(await hotels.GetAsync(2));
    }

    [Fact]
    public void A_store_on_an_open_database_leaves_it_open_when_disposed()
    {
        string path = TempDirectory.NewPath();
        try
        {
            using var database = Database.Open(path);
            new VectLiteVectorStore(database).Dispose();
            Assert.Empty(database.ListCollections()); // still usable
        }
        finally
        {
            TempDirectory.Delete(path);
        }
    }

    [Fact]
    public void GetService_returns_metadata_and_the_engine_objects()
    {
        var store = _temp.Store;
        var metadata = (VectorStoreMetadata)store.GetService(typeof(VectorStoreMetadata))!;
        Assert.Equal("vectlite", metadata.VectorStoreSystemName);
        Assert.Equal(System.IO.Path.GetFullPath(_temp.Path), metadata.VectorStoreName);
        Assert.IsType<Database>(store.GetService(typeof(Database)));
        Assert.Same(store, store.GetService(typeof(VectorStore)));
        Assert.Null(store.GetService(typeof(VectorStoreMetadata), "key"));

        var hotels = store.GetCollection<int, Hotel>("hotels");
        var collectionMetadata = (VectorStoreCollectionMetadata)hotels.GetService(typeof(VectorStoreCollectionMetadata))!;
        Assert.Equal("hotels", collectionMetadata.CollectionName);
        Assert.Null(hotels.GetService(typeof(Collection))); // not created yet
        Assert.Same(hotels, hotels.GetService(typeof(IVectorSearchable<Hotel>)));
    }

    [Fact]
    public void GetCollection_with_dictionary_records_points_to_GetDynamicCollection()
    {
        var ex = Assert.Throws<ArgumentException>(() => _temp.Store.GetCollection<object, Dictionary<string, object?>>("dynamic"));
        Assert.Contains("GetDynamicCollection", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_collection_claims_keyword_hybrid_search()
    {
        // VectLite has a BM25 text index (IsFullTextIndexed), so the connector advertises IKeywordHybridSearchable
        // (HybridSearchTests show it working).
        var hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        Assert.True(hotels is IKeywordHybridSearchable<Hotel>);
    }
}
