// An application written against Microsoft.Extensions.VectorData (as Semantic Kernel applications are), running on
// VectLite: only the registration names VectLite. It shows the two things such applications lean on:
//   - dependency injection: the database, the vector store and a collection come from the container, and a scoped
//     service (one per request in ASP.NET Core) uses them without reopening anything;
//   - embedding generation: records carry text, and the IEmbeddingGenerator registered in the container turns it into
//     vectors on upsert and turns search text into a query vector.
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.VectorData;
using VectLite;

string path = Path.Combine(Path.GetTempPath(), "vectlite-sample-" + Guid.NewGuid().ToString("N"));
try
{
    var services = new ServiceCollection();
    // Any IEmbeddingGenerator<string, Embedding<float>> works here (OpenAI, Azure OpenAI, Ollama, ONNX): the connector
    // finds it in the container. This sample's generator is a small stand-in that needs no model or network.
    services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new WordHashEmbeddingGenerator());
    services.AddSingleton(_ => Database.Open(path));                     // one database for the application
    services.AddVectLiteVectorStore();                                   // the store, on that database
    services.AddVectLiteCollection<int, Hotel>("hotels", lifetime: ServiceLifetime.Scoped); // a collection per scope
    services.AddScoped<HotelSearch>();

    await using ServiceProvider provider = services.BuildServiceProvider();

    // Startup: create the collection and load the data.
    VectorStoreCollection<int, Hotel> hotels = provider.GetRequiredService<VectorStore>().GetCollection<int, Hotel>("hotels");
    await hotels.EnsureCollectionExistsAsync();
    await hotels.UpsertAsync(
    [
        new Hotel { Id = 1, Name = "Grand Plaza", City = "Lisbon", Rating = 4.6, Description = "grand luxury hotel with a spa and a rooftop pool" },
        new Hotel { Id = 2, Name = "Harbour Inn", City = "Porto", Rating = 4.1, Description = "quiet inn by the harbour with sea views" },
        new Hotel { Id = 3, Name = "Budget Stay", City = "Lisbon", Rating = 3.2, Description = "cheap rooms near the station" },
        new Hotel { Id = 4, Name = "Old Town Suites", City = "Lisbon", Rating = 4.8, Description = "luxury suites in the old town with a spa" },
    ]); // the generator embeds each Description

    // Two "requests", each in its own scope, as ASP.NET Core would run them.
    foreach (string request in new[] { "luxury spa hotel", "sea views" })
    {
        using IServiceScope scope = provider.CreateScope();
        await scope.ServiceProvider.GetRequiredService<HotelSearch>().PrintAsync(request);
    }
}
finally
{
    Directory.Delete(path, recursive: true);
}

/// <summary>A service that depends only on the MEVD abstractions, as application code does.</summary>
internal sealed class HotelSearch(VectorStoreCollection<int, Hotel> hotels)
{
    public async Task PrintAsync(string text)
    {
        Console.WriteLine($"\"{text}\", hotels rated 4+ nearest first:");
        await foreach (VectorSearchResult<Hotel> hit in hotels.SearchAsync(text, top: 3, new() { Filter = h => h.Rating >= 4 }))
        {
            Console.WriteLine($"  {hit.Record.Name,-16} {hit.Record.City,-7} rating {hit.Record.Rating:0.0}  similarity {hit.Score:0.000}");
        }
    }
}

/// <summary>A record described with the MEVD attributes, as in any Semantic Kernel sample.</summary>
internal sealed class Hotel
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string Name { get; set; } = "";

    [VectorStoreData(IsIndexed = true)]
    public string City { get; set; } = "";

    [VectorStoreData(IsIndexed = true)]
    public double Rating { get; set; }

    /// <summary>Stored as a vector generated from the text (the text itself is not stored).</summary>
    [VectorStoreVector(WordHashEmbeddingGenerator.Dimensions, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public string Description { get; set; } = "";
}

/// <summary>
/// A stand-in for a real embedding model: each word adds 1 to one of 64 components chosen by a stable hash of the
/// word, so texts sharing words get similar vectors. It understands no meaning; swap in a real generator for that.
/// </summary>
internal sealed class WordHashEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int Dimensions = 64;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var embeddings = new GeneratedEmbeddings<Embedding<float>>();
        foreach (string value in values)
        {
            var vector = new float[Dimensions];
            foreach (string word in value.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                uint hash = 2166136261; // FNV-1a: stable across runs, unlike string.GetHashCode
                foreach (char c in word)
                {
                    hash = (hash ^ c) * 16777619;
                }
                vector[hash % Dimensions] += 1;
            }
            vector[Dimensions - 1] += 0.01f; // never all zeros (cosine refuses a zero vector)
            embeddings.Add(new Embedding<float>(vector));
        }
        return Task.FromResult(embeddings);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }
}
