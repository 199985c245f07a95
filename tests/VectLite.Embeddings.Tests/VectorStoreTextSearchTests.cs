using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData;

namespace VectLite.Embeddings.Tests;

/// <summary>Text in, semantic search out: the generator registered in DI drives the MEVD connector end to end.</summary>
public sealed class VectorStoreTextSearchTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "vectlite-embeddings-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_path))
            Directory.Delete(_path, recursive: true);
    }

    [Fact]
    public async Task Text_upserted_through_the_store_is_found_by_a_paraphrase()
    {
        var services = new ServiceCollection();
        services.AddMiniLmEmbeddingGenerator(o => o.BatchSize = 4);
        services.AddVectLiteVectorStore(_path);
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.IsType<MiniLmEmbeddingGenerator>(provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        var notes = provider.GetRequiredService<VectorStore>().GetCollection<string, Article>("articles");
        await notes.EnsureCollectionExistsAsync();
        await notes.UpsertAsync([
            new Article { Id = "pasta", Body = "Boil the spaghetti in salted water for ten minutes, then drain it." },
            new Article { Id = "rates", Body = "The central bank raised interest rates to slow inflation." },
            new Article { Id = "match", Body = "The striker scored twice in the second half of the final." },
            new Article { Id = "backup", Body = "Copy the database directory while no process writes to it." },
            new Article { Id = "birds", Body = "Swallows migrate south before the first frost." },
        ]);

        Assert.Equal("pasta", (await notes.SearchAsync("how long do I cook noodles?", top: 1).SingleAsync()).Record.Id);
        Assert.Equal("rates", (await notes.SearchAsync("monetary policy", top: 1).SingleAsync()).Record.Id);
        Assert.Equal("backup", (await notes.SearchAsync("making a safe copy of my data", top: 1).SingleAsync()).Record.Id);
    }

    [Fact]
    public void A_generator_already_registered_is_kept()
    {
        using var mine = new MiniLmEmbeddingGenerator();
        var services = new ServiceCollection();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(mine);
        services.AddMiniLmEmbeddingGenerator();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
    }

    public sealed class Article
    {
        [VectorStoreKey]
        public string Id { get; set; } = "";

        [VectorStoreVector(MiniLmEmbeddingGenerator.Dimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
        public string? Body { get; set; }
    }
}
