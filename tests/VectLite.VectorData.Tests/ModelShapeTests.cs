using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>Records with several vectors, and with none.</summary>
public sealed class ModelShapeTests : IDisposable
{
    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Several_vector_properties_are_stored_and_searched_by_name()
    {
        var collection = _temp.Store.GetCollection<long, MultiVector>("multi");
        await collection.EnsureCollectionExistsAsync();
        await collection.UpsertAsync([
            new MultiVector { Id = 1, Title = "one", TextVector = new float[] { 1, 0, 0 }, ImageVector = new Embedding<float>(new float[] { 0, 1 }) },
            new MultiVector { Id = 2, Title = "two", TextVector = new float[] { 0, 1, 0 }, ImageVector = new Embedding<float>(new float[] { 1, 0 }) },
        ]);

        MultiVector read = (await collection.GetAsync(1, new RecordRetrievalOptions { IncludeVectors = true }))!;
        Assert.Equal(new float[] { 1, 0, 0 }, read.TextVector.ToArray());
        Assert.Equal(new float[] { 0, 1 }, read.ImageVector!.Vector.ToArray());

        var byText = await collection.SearchAsync(new float[] { 1, 0, 0 }, top: 1, new() { VectorProperty = r => r.TextVector }).SingleAsync();
        Assert.Equal(1, byText.Record.Id);
        Assert.Equal(0.0, byText.Score);

        var byImage = await collection.SearchAsync(new float[] { 1, 0 }, top: 1, new() { VectorProperty = r => r.ImageVector }).SingleAsync();
        Assert.Equal(2, byImage.Record.Id);
        Assert.Equal(1.0, byImage.Score);
    }

    [Fact]
    public async Task Searching_several_vectors_without_naming_one_is_an_error()
    {
        var collection = _temp.Store.GetCollection<long, MultiVector>("multi");
        await collection.EnsureCollectionExistsAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => collection.SearchAsync(new float[3], top: 1).ToListAsync().AsTask());
        Assert.Contains("multiple vector properties", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_vector_is_rejected_because_the_engine_stores_every_vector()
    {
        var collection = _temp.Store.GetCollection<long, MultiVector>("multi");
        await collection.EnsureCollectionExistsAsync();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(new MultiVector { Id = 1, TextVector = new float[3] }));
        Assert.Contains("ImageVector", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_record_without_vectors_makes_a_metadata_only_collection()
    {
        var collection = _temp.Store.GetCollection<Guid, NoVector>("no-vectors");
        await collection.EnsureCollectionExistsAsync();
        var engine = (Collection)collection.GetService(typeof(Collection))!;
        Assert.Empty(engine.Schema.Vectors);

        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        await collection.UpsertAsync([
            new NoVector { Id = a, Category = "x", Count = 1 },
            new NoVector { Id = b, Category = "y", Count = 2 },
        ]);

        Assert.Equal(1, (await collection.GetAsync(a))?.Count);
        Assert.Equal(b, Assert.Single(await collection.GetAsync(r => r.Category == "y", top: 10).ToListAsync()).Id);
        Assert.Equal(2, await collection.GetAsync([a, b]).CountAsync());

        await collection.DeleteAsync([a, b]);
        Assert.Empty(await collection.GetAsync(r => r.Count > 0, top: 10).ToListAsync());
    }

    [Fact]
    public async Task Searching_a_record_without_vectors_is_an_error()
    {
        var collection = _temp.Store.GetCollection<Guid, NoVector>("no-vectors");
        await collection.EnsureCollectionExistsAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => collection.SearchAsync(new float[2], top: 1).ToListAsync().AsTask());
    }
}
