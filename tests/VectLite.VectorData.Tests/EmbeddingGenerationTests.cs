using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class EmbeddingGenerationTests : IDisposable
{
    private readonly string _path = TempDirectory.NewPath();

    public void Dispose() => TempDirectory.Delete(_path);

    [Fact]
    public async Task Upsert_embeds_the_batch_in_one_call_and_search_embeds_the_query()
    {
        var generator = new TestEmbeddingGenerator();
        using var store = new VectLiteVectorStore(_path, new VectLiteVectorStoreOptions { EmbeddingGenerator = generator });
        var notes = store.GetCollection<string, Note>("notes");
        await notes.EnsureCollectionExistsAsync();

        await notes.UpsertAsync([
            new Note { Id = "1", Text = "apple" },
            new Note { Id = "2", Text = "banana" },
            new Note { Id = "3", Text = "cherry" },
        ]);
        Assert.Equal(1, generator.Calls);

        var hit = await notes.SearchAsync("apple pie", top: 1).SingleAsync();
        Assert.Equal("1", hit.Record.Id);
        Assert.Null(hit.Record.Text); // only the embedding is stored, as in the other database connectors
        Assert.Equal(0.9 / Math.Sqrt(0.82), hit.Score!.Value, 5);
        Assert.Equal(["apple", "banana", "cherry", "apple pie"], generator.Inputs);

        var engine = (Collection)notes.GetService(typeof(Collection))!;
        Assert.Equal(new float[] { 1, 0, 0, 0 }, engine.Get("1")!.Vector!.Value.ToArray());
    }

    [Fact]
    public async Task A_generator_on_the_collection_options_is_used()
    {
        var generator = new TestEmbeddingGenerator();
        using var notes = new VectLiteCollection<string, Note>(_path, "notes", new VectLiteCollectionOptions { EmbeddingGenerator = generator });
        await notes.EnsureCollectionExistsAsync();

        await notes.UpsertAsync(new Note { Id = "1", Text = "banana" });

        Assert.Equal("1", (await notes.SearchAsync("banana", top: 1).SingleAsync()).Record.Id);
        Assert.Equal(2, generator.Calls);
    }

    [Fact]
    public async Task A_generator_on_the_property_definition_wins_over_the_store_default()
    {
        var storeGenerator = new TestEmbeddingGenerator();
        var propertyGenerator = new TestEmbeddingGenerator();
        using var store = new VectLiteVectorStore(_path, new VectLiteVectorStoreOptions { EmbeddingGenerator = storeGenerator });
        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty(nameof(Note.Id), typeof(string)),
                new VectorStoreDataProperty(nameof(Note.Category), typeof(string)),
                new VectorStoreVectorProperty(nameof(Note.Text), typeof(string), 4) { EmbeddingGenerator = propertyGenerator },
            ],
        };
        var notes = store.GetCollection<string, Note>("notes", definition);
        await notes.EnsureCollectionExistsAsync();

        await notes.UpsertAsync(new Note { Id = "1", Text = "cherry" });

        Assert.Equal(1, propertyGenerator.Calls);
        Assert.Equal(0, storeGenerator.Calls);
    }

    [Fact]
    public async Task A_native_vector_property_with_a_generator_is_searchable_by_text()
    {
        var generator = new TestEmbeddingGenerator();
        using var store = new VectLiteVectorStore(_path, new VectLiteVectorStoreOptions { EmbeddingGenerator = generator });
        var hotels = store.GetCollection<int, Hotel>("hotels");
        await hotels.EnsureCollectionExistsAsync();
        await hotels.UpsertAsync([
            new Hotel { Id = 1, Embedding = new float[] { 0, 1, 0, 0 } },
            new Hotel { Id = 2, Embedding = new float[] { 0, 0, 1, 0 } },
        ]);
        Assert.Equal(0, generator.Calls); // nothing to embed on upsert

        var hit = await hotels.SearchAsync("cherry", top: 1).SingleAsync();

        Assert.Equal(2, hit.Record.Id);
        Assert.Equal(1, generator.Calls);
    }

    [Fact]
    public async Task IncludeVectors_is_not_supported_when_vectors_are_generated()
    {
        using var store = new VectLiteVectorStore(_path, new VectLiteVectorStoreOptions { EmbeddingGenerator = new TestEmbeddingGenerator() });
        var notes = store.GetCollection<string, Note>("notes");
        await notes.EnsureCollectionExistsAsync();

        await Assert.ThrowsAsync<NotSupportedException>(() => notes.GetAsync("1", new RecordRetrievalOptions { IncludeVectors = true }));
        await Assert.ThrowsAsync<NotSupportedException>(() => notes.SearchAsync("apple", top: 1, new() { IncludeVectors = true }).ToListAsync().AsTask());
    }

    [Fact]
    public void A_string_vector_property_without_a_generator_is_rejected()
    {
        using var store = new VectLiteVectorStore(_path);
        var ex = Assert.Throws<InvalidOperationException>(() => store.GetCollection<string, Note>("notes"));
        Assert.Contains("no embedding generator", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vector_can_still_be_searched_with_a_vector_when_it_is_generated()
    {
        using var store = new VectLiteVectorStore(_path, new VectLiteVectorStoreOptions { EmbeddingGenerator = new TestEmbeddingGenerator() });
        var notes = store.GetCollection<string, Note>("notes");
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync([new Note { Id = "1", Text = "apple" }, new Note { Id = "2", Text = "banana" }]);

        var hit = await notes.SearchAsync(new Embedding<float>(new float[] { 0, 1, 0, 0 }), top: 1).SingleAsync();

        Assert.Equal("2", hit.Record.Id);
    }
}
