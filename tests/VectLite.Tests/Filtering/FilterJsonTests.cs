namespace VectLite.Tests.Filtering;

public sealed class FilterJsonTests
{
    public static TheoryData<string> CanonicalForms => new()
    {
        """{"color":{"$eq":"red"}}""",
        """{"price":{"$gt":5}}""",
        """{"price":{"$gte":2.5}}""",
        """{"name":{"$lt":"m"}}""",
        """{"n":{"$lte":-3}}""",
        """{"a":{"$ne":null}}""",
        """{"a":{"$in":["x",1,true,null]}}""",
        """{"a":{"$nin":[]}}""",
        """{"tags":{"$contains":"x"}}""",
        """{"meta.author":{"$exists":false}}""",
        """{"$and":[{"a":{"$eq":1}},{"b":{"$eq":2}}]}""",
        """{"$or":[{"a":{"$eq":1}},{"$not":{"b":{"$eq":2}}}]}""",
        """{"$not":{"$and":[{"items.0.qty":{"$gt":1e+300}}]}}""",
        """{"big":{"$eq":9007199254740993}}""",
        """{"café":{"$eq":"naïve \"quoted\""}}""",
    };

    [Theory]
    [MemberData(nameof(CanonicalForms))]
    public void Canonical_json_survives_a_round_trip(string json)
    {
        Filter filter = Filter.Parse(json);
        string written = filter.ToJson();
        Assert.Equal(filter, Filter.Parse(written));
        Assert.Equal(written, Filter.Parse(written).ToJson());
        Assert.Equal(written, filter.ToString());
    }

    [Fact]
    public void Shorthand_forms_are_written_canonically()
    {
        Assert.Equal("""{"color":{"$eq":"red"}}""", Filter.Parse("""{"color":"red"}""").ToJson());
        Assert.Equal(
            """{"$and":[{"price":{"$gt":5}},{"price":{"$lte":10}}]}""",
            Filter.Parse("""{"price":{"$gt":5,"$lte":10}}""").ToJson());
        Assert.Equal("""{"$not":{"price":{"$gt":5}}}""", Filter.Parse("""{"price":{"$not":{"$gt":5}}}""").ToJson());
        Assert.Equal("""{"a":{"$eq":5}}""", Filter.Eq("a", 5.0).ToJson());
        Assert.Equal("""{"a":{"$eq":0.1}}""", Filter.Eq("a", 0.1).ToJson());
    }

    [Fact]
    public void Builder_filters_survive_a_round_trip()
    {
        Filter[] filters =
        [
            Filter.Eq("a", "x") & Filter.Gt("b", 3) & !Filter.In("c", 1, 2.5, "s"),
            Filter.Or(Filter.Exists("m.n"), Filter.Contains("tags", "t"), Filter.Nin("z", FilterValue.Null, false)),
            Filter.Lte("x", double.MaxValue) | Filter.Gte("x", double.Epsilon) | Filter.Lt("x", long.MinValue),
            Filter.Eq("f", 0.1f),
        ];

        foreach (Filter filter in filters)
        {
            Assert.Equal(filter, Filter.Parse(filter.ToJson()));
        }
    }

    [Fact]
    public void Write_to_writes_the_same_text_as_to_json()
    {
        Filter filter = Filter.Eq("a", 1) | Filter.Eq("b", "x");
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            filter.WriteTo(writer);
        }

        Assert.Equal(filter.ToJson(), System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Throws<ArgumentNullException>(() => filter.WriteTo(null!));
    }
}
