using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Filtering;

/// <summary>
/// Whole-array equality, MongoDB's meaning: an array operand matches an array that equals it as a whole (same length,
/// same order), while a scalar operand still matches any equal element.
/// </summary>
public sealed class ArrayEqualityTests
{
    [Theory]
    [InlineData("""{"tags":["a","b"]}""", """{"tags":["a","b"]}""", true)]
    [InlineData("""{"tags":["a","b"]}""", """{"tags":["b","a"]}""", false)] // order matters
    [InlineData("""{"tags":["a","b"]}""", """{"tags":["a","b","c"]}""", false)] // length matters
    [InlineData("""{"tags":["a","b"]}""", """{"tags":["a"]}""", false)]
    [InlineData("""{"tags":["a","b"]}""", """{"tags":"a"}""", false)] // an array never equals a scalar
    [InlineData("""{"tags":["a","b"]}""", """{"tags":[["a","b"],"c"]}""", true)] // an element equal to the array
    [InlineData("""{"tags":["a","b"]}""", """{}""", false)]
    [InlineData("""{"tags":[]}""", """{"tags":[]}""", true)]
    [InlineData("""{"tags":[]}""", """{"tags":["a"]}""", false)]
    [InlineData("""{"tags":[1,2.0,true,null]}""", """{"tags":[1.0,2,true,null]}""", true)] // numbers by value
    [InlineData("""{"tags":[1,2]}""", """{"tags":["1","2"]}""", false)]
    [InlineData("""{"tags":{"$eq":["a","b"]}}""", """{"tags":["a","b"]}""", true)]
    [InlineData("""{"tags":{"$ne":["a","b"]}}""", """{"tags":["a","b"]}""", false)]
    [InlineData("""{"tags":{"$ne":["a","b"]}}""", """{"tags":["b","a"]}""", true)]
    [InlineData("""{"tags":{"$ne":["a","b"]}}""", """{}""", true)]
    [InlineData("""{"tags":{"$in":[["x"],["a","b"]]}}""", """{"tags":["a","b"]}""", true)]
    [InlineData("""{"tags":{"$in":[["x"],"b"]}}""", """{"tags":["a","b"]}""", true)] // a scalar member: membership
    [InlineData("""{"tags":{"$in":[["x"],["b"]]}}""", """{"tags":["a","b"]}""", false)]
    [InlineData("""{"tags":{"$nin":[["a","b"]]}}""", """{"tags":["a","b"]}""", false)]
    [InlineData("""{"tags":{"$nin":[["a","b"]]}}""", """{"tags":["a"]}""", true)]
    [InlineData("""{"tags":"a"}""", """{"tags":["a","b"]}""", true)] // today's membership meaning is kept
    [InlineData("""{"items.tags":["s","t"]}""", """{"items":[{"tags":["q"]},{"tags":["s","t"]}]}""", true)] // through a fan-out
    [InlineData("""{"tags":["caf\u00e9"]}""", """{"tags":["caf\u00e9"]}""", true)] // escaped payload strings
    public void Array_operands_match_whole_arrays(string filter, string payload, bool expected)
    {
        using JsonDocument document = JsonDocument.Parse(payload);
        Assert.Equal(expected, Filter.Parse(filter).Matches(document.RootElement));
    }

    [Fact]
    public void Builder_json_and_round_trip_agree()
    {
        Filter built = Filter.Eq("tags", FilterValue.ArrayOf("a", 1, true, FilterValue.Null));
        Assert.Equal("""{"tags":{"$eq":["a",1,true,null]}}""", built.ToJson());
        Assert.Equal(built, Filter.Parse("""{"tags":["a",1,true,null]}"""));
        Assert.Equal(built, Filter.Parse(built.ToJson()));
        Assert.NotEqual(built, Filter.Eq("tags", FilterValue.ArrayOf(1, "a", true, FilterValue.Null)));

        Filter anyOf = Filter.In("tags", FilterValue.ArrayOf("a"), "b");
        Assert.Equal("""{"tags":{"$in":[["a"],"b"]}}""", anyOf.ToJson());
        Assert.Equal(anyOf, Filter.Parse(anyOf.ToJson()));
        Assert.Equal(anyOf.GetHashCode(), Filter.Parse(anyOf.ToJson()).GetHashCode());
    }

    [Fact]
    public void Array_values_compare_element_wise_and_copy_their_input()
    {
        FilterValue[] items = ["a", 5];
        FilterValue array = FilterValue.ArrayOf(items);
        items[0] = "changed";
        Assert.Equal(FilterValueKind.Array, array.Kind);
        Assert.Equal(["a", 5], array.ArrayValue);
        Assert.Equal(FilterValue.ArrayOf("a", 5.0), array);
        Assert.Equal(FilterValue.ArrayOf("a", 5.0).GetHashCode(), array.GetHashCode());
        Assert.NotEqual(FilterValue.ArrayOf("a"), array);
        Assert.NotEqual(FilterValue.ArrayOf(5, "a"), array);
        Assert.Equal("""["a",5]""", array.ToString());
        Assert.Throws<InvalidOperationException>(() => FilterValue.Null.ArrayValue);
        Assert.Throws<InvalidOperationException>(() => array.StringValue);
    }

    [Fact]
    public void Bad_array_operands_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => FilterValue.ArrayOf(FilterValue.ArrayOf("a")));
        Assert.Throws<ArgumentException>(() => Filter.Eq("tags", FilterValue.ArrayOf(double.NaN)));
        Assert.Throws<ArgumentException>(() => Filter.In("tags", FilterValue.ArrayOf("ok", "\ud800")));
        Assert.Throws<ArgumentException>(() => Filter.Contains("tags", FilterValue.ArrayOf("a")));
        Assert.Throws<ArgumentException>(() => Filter.Gt("tags", FilterValue.ArrayOf("a")));
    }

    [Fact]
    public void A_keyword_index_on_the_field_does_not_change_the_answer()
    {
        using Database db = Database.OpenInMemory();
        Collection docs = db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        docs.CreatePayloadIndex("tags", PayloadIndexKind.Keyword);
        docs.UpsertMany([
            new Record(1, new float[] { 0, 0 }, new JsonObject { ["tags"] = new JsonArray("a", "b") }),
            new Record(2, new float[] { 1, 0 }, new JsonObject { ["tags"] = new JsonArray("b", "a") }),
            new Record(3, new float[] { 2, 0 }, new JsonObject { ["tags"] = new JsonArray("a", "b", "c") }),
            new Record(4, new float[] { 3, 0 }, new JsonObject { ["tags"] = new JsonArray(new JsonArray("a", "b")) }),
            new Record(5, new float[] { 4, 0 }, new JsonObject { ["tags"] = "a" }),
            new Record(6, new float[] { 5, 0 }, new JsonObject { ["tags"] = new JsonArray() }),
        ]);

        ulong[] Ids(Filter filter) => [.. docs.Search(new float[] { 0, 0 }, new SearchOptions { TopK = 10, Filter = filter }).Select(h => h.Id.AsNumber).Order()];

        Assert.Equal([1UL, 4], Ids(Filter.Parse("""{"tags":["a","b"]}""")));
        Assert.Equal([6UL], Ids(Filter.Parse("""{"tags":[]}""")));
        Assert.Equal([1UL, 2, 3, 4, 5], Ids(Filter.In("tags", FilterValue.ArrayOf("a", "b"), "a")));
        Assert.Equal([1UL, 3, 4], Ids(Filter.Parse("""{"tags":{"$in":[["a","b"],"c"]}}""")));
        Assert.Equal([2UL, 3, 5, 6], Ids(Filter.Ne("tags", FilterValue.ArrayOf("a", "b"))));
        Assert.Equal(2, docs.Count(Filter.Parse("""{"tags":["a","b"]}""")));
        Assert.Equal([1UL, 2, 3, 5], Ids(Filter.Eq("tags", "a"))); // the index still answers scalar membership
    }

    [Fact]
    public void Evaluating_an_array_operand_does_not_allocate()
    {
        using JsonDocument payload = JsonDocument.Parse("""{"tags":["x","y","z"],"other":[["x","y","z"]]}""");
        Filter filter = Filter.Parse("""{"tags":["x","y","z"],"other":{"$in":[["q"],["x","y","z"]]}}""");
        JsonElement root = payload.RootElement;
        Assert.True(filter.Matches(root));

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 100; i++)
        {
            all &= filter.Matches(root);
        }

        Assert.True(all);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
