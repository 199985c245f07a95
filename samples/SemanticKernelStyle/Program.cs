// An application written against Microsoft.Extensions.VectorData (as Semantic Kernel applications are), running on
// VectLite: only the line that creates the store names VectLite.
using Microsoft.Extensions.VectorData;
using VectLite.VectorData;

string path = Path.Combine(Path.GetTempPath(), "vectlite-sample-" + Guid.NewGuid().ToString("N"));
try
{
    using VectorStore store = new VectLiteVectorStore(path);
    VectorStoreCollection<int, Hotel> hotels = store.GetCollection<int, Hotel>("hotels");
    await hotels.EnsureCollectionExistsAsync();

    await hotels.UpsertAsync(
    [
        new Hotel { Id = 1, Name = "Grand Plaza", City = "Lisbon", Rating = 4.6, Embedding = new float[] { 0.9f, 0.1f, 0.0f, 0.1f } },
        new Hotel { Id = 2, Name = "Harbour Inn", City = "Porto", Rating = 4.1, Embedding = new float[] { 0.8f, 0.3f, 0.1f, 0.0f } },
        new Hotel { Id = 3, Name = "Budget Stay", City = "Lisbon", Rating = 3.2, Embedding = new float[] { 0.1f, 0.9f, 0.2f, 0.0f } },
        new Hotel { Id = 4, Name = "Old Town Suites", City = "Lisbon", Rating = 4.8, Embedding = new float[] { 0.7f, 0.2f, 0.6f, 0.1f } },
    ]);

    // "Something like the Grand Plaza", in Lisbon, rated 4 or better.
    float[] query = [1.0f, 0.1f, 0.1f, 0.1f];
    Console.WriteLine("Hotels in Lisbon rated 4+, nearest first:");
    await foreach (VectorSearchResult<Hotel> hit in hotels.SearchAsync(query, top: 3, new() { Filter = h => h.City == "Lisbon" && h.Rating >= 4 }))
    {
        Console.WriteLine($"  {hit.Record.Name,-16} rating {hit.Record.Rating:0.0}  similarity {hit.Score:0.000}");
    }
}
finally
{
    Directory.Delete(path, recursive: true);
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

    [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}
