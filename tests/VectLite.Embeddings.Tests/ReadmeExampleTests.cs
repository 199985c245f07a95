using Microsoft.Extensions.AI;

namespace VectLite.Embeddings.Tests;

/// <summary>The package README's first example, as written there, on a real database.</summary>
public sealed class ReadmeExampleTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "vectlite-embeddings-readme-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_path))
            Directory.Delete(_path, recursive: true);
    }

    [Fact]
    public async Task The_engine_example_finds_the_paraphrase()
    {
        using var embedder = new MiniLmEmbeddingGenerator();
        using var db = Database.Open(_path);
        var notes = db.GetOrCreateCollection("notes", CollectionSchema.SingleVector(MiniLmEmbeddingGenerator.Dimensions));

        string text = "Boil the spaghetti in salted water for ten minutes.";
        notes.Upsert(new Record("pasta", await embedder.GenerateVectorAsync(text), new() { ["text"] = text }));
        string other = "The central bank raised interest rates.";
        notes.Upsert(new Record("rates", await embedder.GenerateVectorAsync(other), new() { ["text"] = other }));

        var hits = notes.Search(await embedder.GenerateVectorAsync("how long do I cook noodles?"), new SearchOptions { TopK = 3 });

        Assert.Equal(["pasta", "rates"], hits.Select(h => h.Id.ToString()));
    }
}
