using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class DynamicCollectionTests : IDisposable
{
    private static readonly VectorStoreCollectionDefinition s_definition = new()
    {
        Properties =
        [
            new VectorStoreKeyProperty("Key", typeof(string)),
            new VectorStoreDataProperty("Name", typeof(string)) { IsIndexed = true },
            new VectorStoreDataProperty("Count", typeof(int)),
            new VectorStoreDataProperty("When", typeof(DateTimeOffset)),
            new VectorStoreDataProperty("Tags", typeof(string[])),
            new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = DistanceFunction.EuclideanDistance, StorageName = "vec" },
        ],
    };

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Dictionary_records_round_trip_filter_and_search()
    {
        VectLiteDynamicCollection collection = _temp.Store.GetDynamicCollection("dynamic", s_definition);
        await collection.EnsureCollectionExistsAsync();
        var when = new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await collection.UpsertAsync([
            new Dictionary<string, object?> { ["Key"] = "a", ["Name"] = "alpha", ["Count"] = 1, ["When"] = when, ["Tags"] = new[] { "x" }, ["Vector"] = new ReadOnlyMemory<float>([0, 0]) },
            new Dictionary<string, object?> { ["Key"] = "b", ["Name"] = null, ["Count"] = 2, ["When"] = when, ["Tags"] = new[] { "y" }, ["Vector"] = new ReadOnlyMemory<float>([3, 4]) },
        ]);

        Dictionary<string, object?> read = (await collection.GetAsync("a", new RecordRetrievalOptions { IncludeVectors = true }))!;
        Assert.Equal("a", read["Key"]);
        Assert.Equal("alpha", read["Name"]);
        Assert.Equal(1, read["Count"]);
        Assert.Equal(when, read["When"]);
        Assert.Equal(new[] { "x" }, read["Tags"]);
        Assert.Equal(new float[] { 0, 0 }, ((ReadOnlyMemory<float>)read["Vector"]!).ToArray());

        Assert.Null((await collection.GetAsync("b"))!["Name"]);

        var filtered = await collection.GetAsync(r => (int)r["Count"]! > 1, top: 10).ToListAsync();
        Assert.Equal("b", Assert.Single(filtered)["Key"]);
        Assert.Equal("a", Assert.Single(await collection.GetAsync(r => (string)r["Name"]! == "alpha", top: 10).ToListAsync())["Key"]);
        Assert.Equal("b", Assert.Single(await collection.GetAsync(r => ((string[])r["Tags"]!).Contains("y"), top: 10).ToListAsync())["Key"]);

        var hits = await collection.SearchAsync(new float[] { 3, 4 }, top: 2).ToListAsync();
        Assert.Equal(["b", "a"], hits.Select(h => (string)h.Record["Key"]!));
        Assert.Equal([0.0, 5.0], hits.Select(h => h.Score!.Value));

        await collection.DeleteAsync("a");
        Assert.Null(await collection.GetAsync("a"));
    }

    [Fact]
    public async Task Every_data_type_reads_back_exactly_through_dictionaries()
    {
        // The definition lists AllTypes' properties; the values are DataTypeTests' main record.
        AllTypes main = DataTypeTests.MainRecord();
        var definition = new VectorStoreCollectionDefinition { Properties = [new VectorStoreKeyProperty("Key", typeof(string))] };
        var record = new Dictionary<string, object?> { ["Key"] = "main", ["Vector"] = main.Vector!.Value };
        foreach (var property in typeof(AllTypes).GetProperties().Where(p => p.Name is not ("Key" or "Vector")))
        {
            definition.Properties.Add(new VectorStoreDataProperty(property.Name, property.PropertyType));
            record[property.Name] = property.GetValue(main);
        }
        definition.Properties.Add(new VectorStoreVectorProperty("Vector", typeof(ReadOnlyMemory<float>), 2) { DistanceFunction = DistanceFunction.DotProductSimilarity });
        VectLiteDynamicCollection collection = _temp.Store.GetDynamicCollection("dynamic-types", definition);
        await collection.EnsureCollectionExistsAsync();

        await collection.UpsertAsync(record);
        Dictionary<string, object?> read = (await collection.GetAsync("main"))!;

        foreach (var property in typeof(AllTypes).GetProperties().Where(p => p.Name is not ("Key" or "Vector")))
        {
            Assert.Equal(property.GetValue(main), read[property.Name]);
        }
    }

    [Fact]
    public async Task A_key_of_another_type_than_the_definition_is_an_argument_error()
    {
        VectLiteDynamicCollection collection = _temp.Store.GetDynamicCollection("dynamic", s_definition);
        await collection.EnsureCollectionExistsAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => collection.GetAsync(5));
    }

    [Fact]
    public async Task A_dynamic_collection_reads_what_a_typed_collection_wrote()
    {
        var typed = _temp.Store.GetCollection<int, Hotel>("hotels");
        await typed.EnsureCollectionExistsAsync();
        await typed.UpsertAsync(new Hotel { Id = 9, Name = "Typed", Rating = 4, Embedding = new float[] { 1, 2, 3, 4 } });

        var definition = new VectorStoreCollectionDefinition
        {
            Properties =
            [
                new VectorStoreKeyProperty("Id", typeof(int)),
                new VectorStoreDataProperty("Name", typeof(string)),
                new VectorStoreDataProperty("Rating", typeof(int)),
                new VectorStoreVectorProperty("Embedding", typeof(float[]), 4) { DistanceFunction = DistanceFunction.EuclideanDistance },
            ],
        };
        var dynamic = _temp.Store.GetDynamicCollection("hotels", definition);

        Dictionary<string, object?> read = (await dynamic.GetAsync(9, new RecordRetrievalOptions { IncludeVectors = true }))!;
        Assert.Equal("Typed", read["Name"]);
        Assert.Equal(4, read["Rating"]);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, (float[])read["Embedding"]!);
    }

    [Fact]
    public void A_dynamic_collection_needs_a_definition()
    {
        Assert.Throws<ArgumentNullException>(() => _temp.Store.GetDynamicCollection("dynamic", null!));
        Assert.Throws<ArgumentException>(() => new VectLiteDynamicCollection(_temp.Path, "dynamic", new VectLiteCollectionOptions()));
    }

    [Fact]
    public void The_typed_collection_refuses_dictionary_records()
    {
        var database = (Database)_temp.Store.GetService(typeof(Database))!;
        var ex = Assert.Throws<NotSupportedException>(() => new VectLiteCollection<object, Dictionary<string, object?>>(database, "x"));
        Assert.Contains(nameof(VectLiteDynamicCollection), ex.Message, StringComparison.Ordinal);
    }
}
