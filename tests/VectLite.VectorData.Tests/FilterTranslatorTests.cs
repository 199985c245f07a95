using System.Linq.Expressions;
using Microsoft.Extensions.VectorData.ProviderServices;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>The engine filters the translator produces, checked as canonical JSON.</summary>
public sealed class FilterTranslatorTests
{
    private static readonly CollectionModel s_hotelModel =
        new VectLiteModelBuilder().Build(typeof(Hotel), typeof(int), definition: null, defaultEmbeddingGenerator: null);

    [Fact]
    public void Comparisons_map_to_the_engine_operators()
    {
        Assert.Equal("""{"Rating":{"$eq":5}}""", Translate(h => h.Rating == 5));
        Assert.Equal("""{"Rating":{"$ne":5}}""", Translate(h => h.Rating != 5));
        Assert.Equal("""{"Price":{"$gt":1.5}}""", Translate(h => h.Price > 1.5));
        Assert.Equal("""{"Price":{"$gte":1.5}}""", Translate(h => h.Price >= 1.5));
        Assert.Equal("""{"Price":{"$lt":1.5}}""", Translate(h => h.Price < 1.5));
        Assert.Equal("""{"Price":{"$lte":1.5}}""", Translate(h => h.Price <= 1.5));
    }

    [Fact]
    public void Logic_maps_to_and_or_not()
    {
        Assert.Equal("""{"$and":[{"Rating":{"$eq":5}},{"IsOpen":{"$eq":true}}]}""", Translate(h => h.Rating == 5 && h.IsOpen));
        Assert.Equal("""{"$or":[{"Rating":{"$eq":5}},{"IsOpen":{"$eq":false}}]}""", Translate(h => h.Rating == 5 || !h.IsOpen));
        Assert.Equal("""{"$not":{"Rating":{"$lt":3}}}""", Translate(h => !(h.Rating < 3)));
    }

    [Fact]
    public void Contains_maps_to_contains_on_properties_and_in_on_values()
    {
        string[] names = ["a", "b"];
        Assert.Equal("""{"Tags":{"$contains":"pool"}}""", Translate(h => h.Tags.Contains("pool")));
        Assert.Equal("""{"Name":{"$in":["a","b"]}}""", Translate(h => names.Contains(h.Name)));
        Assert.Equal("""{"Tags":{"$in":["a","b"]}}""", Translate(h => h.Tags.Any(t => names.Contains(t))));
        Assert.Equal("""{"Name":{"$contains":"ran"}}""", Translate(h => h.Name!.Contains("ran")));
    }

    [Fact]
    public void Array_property_equality_maps_to_whole_array_eq_and_ne()
    {
        string[] tags = ["pool", "spa"];
        Assert.Equal("""{"Tags":{"$eq":["pool","spa"]}}""", Translate(h => h.Tags == tags));
        Assert.Equal("""{"Tags":{"$ne":["pool","spa"]}}""", Translate(h => tags != h.Tags));
        Assert.Equal("""{"Floors":{"$eq":[1,2]}}""", Translate(h => h.Floors == new List<int> { 1, 2 }));
        Assert.Equal("""{"Tags":{"$eq":null}}""", Translate(h => h.Tags == null));
    }

    [Fact]
    public void Null_checks_map_to_eq_and_ne_null()
    {
        Assert.Equal("""{"Stars":{"$eq":null}}""", Translate(h => h.Stars == null));
        Assert.Equal("""{"Stars":{"$ne":null}}""", Translate(h => h.Stars != null));
        Assert.Equal("""{"Stars":{"$ne":null}}""", Translate(h => h.Stars.HasValue));
    }

    [Fact]
    public void Values_are_encoded_as_they_are_stored()
    {
        var opened = new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal("""{"Opened":{"$gte":"2020-01-01T10:00:00.0000000+00:00"}}""", Translate(h => h.Opened >= opened));
        Assert.Equal("""{"Id":{"$eq":3}}""", Translate(h => h.Id == 3));
    }

    [Fact]
    public void DateTime_bounds_cover_every_stored_kind()
    {
        var noon = new DateTime(2020, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        Assert.Equal("""{"Inspected":{"$gt":"2020-01-01T12:00:00.0000000Z"}}""", Translate(h => h.Inspected > noon));
        Assert.Equal("""{"Inspected":{"$gte":"2020-01-01T12:00:00.0000000"}}""", Translate(h => h.Inspected >= noon));
        Assert.Equal("""{"Inspected":{"$lt":"2020-01-01T12:00:00.0000000"}}""", Translate(h => h.Inspected < noon));
        Assert.Equal("""{"Inspected":{"$lte":"2020-01-01T12:00:00.0000000Z"}}""", Translate(h => h.Inspected <= noon));
        Assert.StartsWith("""{"Inspected":{"$in":["2020-01-01T12:00:00.0000000","2020-01-01T12:00:00.0000000Z","2020-01-01T12:00:00.0000000""", Translate(h => h.Inspected == noon), StringComparison.Ordinal);
    }

    [Fact]
    public void A_filter_that_is_always_true_becomes_no_filter()
    {
        bool always = true;
        Assert.Null(new VectLiteFilterTranslator().Translate((Expression<Func<Hotel, bool>>)(h => always || h.IsOpen), s_hotelModel));
    }

    [Fact]
    public void Storage_names_are_the_paths()
    {
        var model = new VectLiteModelBuilder().Build(typeof(Renamed), typeof(string), definition: null, defaultEmbeddingGenerator: null);
        Assert.Equal("""{"display_name":{"$eq":"x"}}""",
            new VectLiteFilterTranslator().Translate((Expression<Func<Renamed, bool>>)(r => r.Name == "x"), model)!.ToJson());
    }

    private static string Translate(Expression<Func<Hotel, bool>> filter) =>
        new VectLiteFilterTranslator().Translate(filter, s_hotelModel)!.ToJson();

    public sealed class Renamed
    {
        [Microsoft.Extensions.VectorData.VectorStoreKey]
        public string Key { get; set; } = "";

        [Microsoft.Extensions.VectorData.VectorStoreData(StorageName = "display_name")]
        public string? Name { get; set; }
    }
}
