using System.Text.Json;

namespace VectLite.Tests.Filtering;

public sealed class FilterEvaluationTests
{
    private const string Doc = """
        {
          "color": "red",
          "price": 7.5,
          "qty": 3,
          "big": 9007199254740993,
          "active": true,
          "note": null,
          "name": "Widget Pro",
          "escaped": "caf\u00e9 \"x\"",
          "tags": ["x", "y", "long tag"],
          "scores": [1, 9, 4],
          "empty": [],
          "nested": [["n1"], "n2"],
          "meta": { "author": { "name": "ann", "age": 41 }, "rank": "7" },
          "items": [
            { "name": "bolt", "qty": 10, "tags": ["steel"] },
            { "name": "nut", "qty": 2, "tags": ["brass", "small"] },
            { "label": "no name" }
          ]
        }
        """;

    [Theory]
    // $eq: scalars, numbers by value, strings ordinal, bool, null, missing.
    [InlineData("""{"color":"red"}""", true)]
    [InlineData("""{"color":"Red"}""", false)]
    [InlineData("""{"price":7.5}""", true)]
    [InlineData("""{"qty":3.0}""", true)]
    [InlineData("""{"qty":"3"}""", false)]
    [InlineData("""{"meta.rank":7}""", false)]
    [InlineData("""{"meta.rank":"7"}""", true)]
    [InlineData("""{"big":9007199254740993}""", true)]
    [InlineData("""{"big":9007199254740992}""", false)]
    [InlineData("""{"active":true}""", true)]
    [InlineData("""{"active":1}""", false)]
    [InlineData("""{"note":null}""", true)]
    [InlineData("""{"missing":null}""", true)]
    [InlineData("""{"color":null}""", false)]
    [InlineData("""{"empty":null}""", false)]
    [InlineData("""{"escaped":"café \"x\""}""", true)]
    [InlineData("""{"escaped":"cafe \"x\""}""", false)]
    // Nested objects, arrays of objects (fan-out), numeric segments.
    [InlineData("""{"meta.author.name":"ann"}""", true)]
    [InlineData("""{"meta.author.name":"bob"}""", false)]
    [InlineData("""{"items.name":"nut"}""", true)]
    [InlineData("""{"items.name":"washer"}""", false)]
    [InlineData("""{"items.0.name":"bolt"}""", true)]
    [InlineData("""{"items.1.name":"bolt"}""", false)]
    [InlineData("""{"items.5.name":"bolt"}""", false)]
    [InlineData("""{"tags.1":"y"}""", true)]
    [InlineData("""{"tags.01":"y"}""", false)]
    [InlineData("""{"items.tags":"brass"}""", true)]
    [InlineData("""{"color.x":"red"}""", false)]
    // Array membership is one level deep.
    [InlineData("""{"tags":"x"}""", true)]
    [InlineData("""{"tags":"z"}""", false)]
    [InlineData("""{"nested":"n2"}""", true)]
    [InlineData("""{"nested":"n1"}""", false)]
    // $ne / $nin are the negation of $eq / $in.
    [InlineData("""{"color":{"$ne":"blue"}}""", true)]
    [InlineData("""{"color":{"$ne":"red"}}""", false)]
    [InlineData("""{"missing":{"$ne":"red"}}""", true)]
    [InlineData("""{"missing":{"$ne":null}}""", false)]
    [InlineData("""{"note":{"$ne":null}}""", false)]
    [InlineData("""{"color":{"$ne":null}}""", true)]
    [InlineData("""{"tags":{"$ne":"x"}}""", false)]
    [InlineData("""{"tags":{"$ne":"z"}}""", true)]
    [InlineData("""{"items.name":{"$ne":"nut"}}""", false)]
    [InlineData("""{"color":{"$in":["blue","red"]}}""", true)]
    [InlineData("""{"color":{"$in":["blue"]}}""", false)]
    [InlineData("""{"color":{"$in":[]}}""", false)]
    [InlineData("""{"missing":{"$in":[1,null]}}""", true)]
    [InlineData("""{"missing":{"$in":[null,null]}}""", true)]
    [InlineData("""{"scores":{"$in":[4,5]}}""", true)]
    [InlineData("""{"color":{"$nin":["blue","red"]}}""", false)]
    [InlineData("""{"color":{"$nin":["blue"]}}""", true)]
    [InlineData("""{"missing":{"$nin":["blue"]}}""", true)]
    [InlineData("""{"tags":{"$nin":["q","y"]}}""", false)]
    // Ranges: numbers numerically, strings ordinally, other types never.
    [InlineData("""{"price":{"$gt":7}}""", true)]
    [InlineData("""{"price":{"$gt":7.5}}""", false)]
    [InlineData("""{"price":{"$gte":7.5}}""", true)]
    [InlineData("""{"price":{"$lt":7.5}}""", false)]
    [InlineData("""{"price":{"$lte":7.5}}""", true)]
    [InlineData("""{"qty":{"$lt":3.5}}""", true)]
    [InlineData("""{"big":{"$gt":9007199254740992}}""", true)]
    [InlineData("""{"big":{"$lt":9007199254740993}}""", false)]
    [InlineData("""{"scores":{"$gt":8}}""", true)]
    [InlineData("""{"scores":{"$gt":9}}""", false)]
    [InlineData("""{"items.qty":{"$gte":10}}""", true)]
    [InlineData("""{"items.qty":{"$lt":2}}""", false)]
    [InlineData("""{"name":{"$gt":"W"}}""", true)]
    [InlineData("""{"name":{"$gt":"w"}}""", false)]
    [InlineData("""{"name":{"$lt":"Widget Pro!"}}""", true)]
    [InlineData("""{"escaped":{"$gt":"cafd"}}""", true)]
    [InlineData("""{"escaped":{"$lt":"café"}}""", false)]
    [InlineData("""{"meta.rank":{"$gt":5}}""", false)]
    [InlineData("""{"color":{"$gt":1}}""", false)]
    [InlineData("""{"active":{"$gte":0}}""", false)]
    [InlineData("""{"missing":{"$lt":100}}""", false)]
    // $contains: array element or substring.
    [InlineData("""{"tags":{"$contains":"y"}}""", true)]
    [InlineData("""{"tags":{"$contains":"long"}}""", false)]
    [InlineData("""{"name":{"$contains":"get P"}}""", true)]
    [InlineData("""{"name":{"$contains":"get p"}}""", false)]
    [InlineData("""{"name":{"$contains":""}}""", true)]
    [InlineData("""{"escaped":{"$contains":"é \""}}""", true)]
    [InlineData("""{"escaped":{"$contains":"café"}}""", true)]
    [InlineData("""{"scores":{"$contains":9}}""", true)]
    [InlineData("""{"scores":{"$contains":2}}""", false)]
    [InlineData("""{"qty":{"$contains":3}}""", false)]
    [InlineData("""{"items.tags":{"$contains":"small"}}""", true)]
    [InlineData("""{"items.name":{"$contains":"ol"}}""", true)]
    [InlineData("""{"missing":{"$contains":"x"}}""", false)]
    // $exists.
    [InlineData("""{"color":{"$exists":true}}""", true)]
    [InlineData("""{"note":{"$exists":true}}""", true)]
    [InlineData("""{"empty":{"$exists":true}}""", true)]
    [InlineData("""{"missing":{"$exists":true}}""", false)]
    [InlineData("""{"missing":{"$exists":false}}""", true)]
    [InlineData("""{"items.label":{"$exists":true}}""", true)]
    [InlineData("""{"items.price":{"$exists":true}}""", false)]
    [InlineData("""{"meta.author.age":{"$exists":false}}""", false)]
    // Logic.
    [InlineData("""{"color":"red","qty":3}""", true)]
    [InlineData("""{"color":"red","qty":4}""", false)]
    [InlineData("""{"$or":[{"color":"blue"},{"qty":3}]}""", true)]
    [InlineData("""{"$or":[{"color":"blue"},{"qty":4}]}""", false)]
    [InlineData("""{"$not":{"color":"blue"}}""", true)]
    [InlineData("""{"$not":{"color":"red"}}""", false)]
    [InlineData("""{"price":{"$not":{"$gt":100}}}""", true)]
    [InlineData("""{"price":{"$gt":5,"$lt":8}}""", true)]
    [InlineData("""{"price":{"$gt":5,"$lt":7}}""", false)]
    [InlineData("""{"$and":[{"tags":"x"},{"$or":[{"items.qty":2},{"missing":1}]},{"$not":{"active":false}}]}""", true)]
    public void Evaluates_against_a_rich_payload(string filter, bool expected)
    {
        using JsonDocument payload = JsonDocument.Parse(Doc);
        Assert.Equal(expected, Filter.Parse(filter).Matches(payload.RootElement));
    }

    [Theory]
    [InlineData("""{"a":null}""", true)]
    [InlineData("""{"a":{"$exists":false}}""", true)]
    [InlineData("""{"a":{"$exists":true}}""", false)]
    [InlineData("""{"a":{"$ne":1}}""", true)]
    [InlineData("""{"a":{"$nin":[1]}}""", true)]
    [InlineData("""{"a":1}""", false)]
    [InlineData("""{"a":{"$gt":0}}""", false)]
    [InlineData("""{"$not":{"a":1}}""", true)]
    public void Record_without_payload_behaves_like_an_empty_object(string filter, bool expected)
    {
        Filter parsed = Filter.Parse(filter);
        using JsonDocument empty = JsonDocument.Parse("{}");
        Assert.Equal(expected, parsed.Matches(default));
        Assert.Equal(expected, parsed.Matches(empty.RootElement));
    }

    [Fact]
    public void Fan_out_reaches_objects_in_arrays_at_every_level()
    {
        using JsonDocument payload = JsonDocument.Parse("""
            {"a":[{"b":[{"c":1},{"c":2}]},{"b":{"c":3}},{"b":[[{"c":4}]]},5]}
            """);
        Assert.True(Filter.Eq("a.b.c", 1).Matches(payload.RootElement));
        Assert.True(Filter.Eq("a.b.c", 2).Matches(payload.RootElement));
        Assert.True(Filter.Eq("a.b.c", 3).Matches(payload.RootElement));
        Assert.False(Filter.Eq("a.b.c", 4).Matches(payload.RootElement)); // arrays of arrays are not searched
        Assert.True(Filter.Eq("a.2.b.0.0.c", 4).Matches(payload.RootElement));
        Assert.True(Filter.Eq("a.3", 5).Matches(payload.RootElement));
    }

    [Fact]
    public void Numeric_segment_on_an_object_is_a_key()
    {
        using JsonDocument payload = JsonDocument.Parse("""{"m":{"0":"zero","01":"one"}}""");
        Assert.True(Filter.Eq("m.0", "zero").Matches(payload.RootElement));
        Assert.True(Filter.Eq("m.01", "one").Matches(payload.RootElement));
    }

    [Fact]
    public void Unreadable_payload_strings_match_no_string_condition_and_do_not_throw()
    {
        using JsonDocument payload = JsonDocument.Parse("""{"s":"\ud800x"}""");
        Assert.False(Filter.Eq("s", "x").Matches(payload.RootElement));
        Assert.False(Filter.Gt("s", "a").Matches(payload.RootElement));
        Assert.False(Filter.Gte("s", "a").Matches(payload.RootElement));
        Assert.False(Filter.Lte("s", "z").Matches(payload.RootElement));
        Assert.False(Filter.Contains("s", "x").Matches(payload.RootElement));
        Assert.True(Filter.Exists("s").Matches(payload.RootElement));
    }

    [Fact]
    public void Builder_filters_evaluate_like_parsed_ones()
    {
        using JsonDocument payload = JsonDocument.Parse(Doc);
        Filter built = (Filter.Eq("color", "red") & Filter.Gt("items.qty", 5)) | !Filter.Exists("meta");
        Filter parsed = Filter.Parse("""{"$or":[{"color":"red","items.qty":{"$gt":5}},{"$not":{"meta":{"$exists":true}}}]}""");
        Assert.Equal(parsed, built);
        Assert.True(built.Matches(payload.RootElement));
        Assert.False((Filter.Eq("color", "red") & Filter.Gt("items.qty", 50)).Matches(payload.RootElement));
    }

    [Fact]
    public void Evaluation_does_not_allocate_on_the_common_path()
    {
        using JsonDocument payload = JsonDocument.Parse(Doc);
        Filter filter = Filter.Parse("""
            {"color":{"$in":["blue","red"]},"price":{"$gt":5},"items.name":{"$ne":"x"},
             "tags":{"$contains":"y"},"name":{"$contains":"Pro"},"meta.author.name":{"$gte":"a"},"missing":null}
            """);
        JsonElement root = payload.RootElement;
        Assert.True(filter.Matches(root)); // warm up (JIT, statics)

        long before = GC.GetAllocatedBytesForCurrentThread();
        bool all = true;
        for (int i = 0; i < 100; i++)
        {
            all &= filter.Matches(root);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(all);
        Assert.Equal(0, allocated);
    }
}
