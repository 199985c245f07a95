using System.Text.Json;
using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class FilterParserTests
{
    [Fact]
    public void Plain_value_is_eq()
    {
        Assert.Equal(Filter.Eq("color", "red"), Filter.Parse("""{"color":"red"}"""));
        Assert.Equal(Filter.Eq("n", 5), Filter.Parse("""{"n":5}"""));
        Assert.Equal(Filter.Eq("flag", true), Filter.Parse("""{"flag":true}"""));
        Assert.Equal(Filter.Eq("gone", FilterValue.Null), Filter.Parse("""{"gone":null}"""));
    }

    [Fact]
    public void Several_operators_on_one_field_are_an_implicit_and()
    {
        Filter parsed = Filter.Parse("""{"price":{"$gt":5,"$lte":10}}""");
        Assert.Equal(Filter.And(Filter.Gt("price", 5), Filter.Lte("price", 10)), parsed);
        Assert.IsType<AndFilter>(parsed);
    }

    [Fact]
    public void Several_top_level_keys_are_an_implicit_and_in_key_order()
    {
        Filter parsed = Filter.Parse("""{"color":"red","price":{"$lt":3},"$or":[{"a":1},{"b":2}]}""");
        Filter expected = Filter.And(
            Filter.Eq("color", "red"),
            Filter.Lt("price", 3),
            Filter.Or(Filter.Eq("a", 1), Filter.Eq("b", 2)));
        Assert.Equal(expected, parsed);
    }

    [Fact]
    public void Every_field_operator_parses_to_the_builder_form()
    {
        Assert.Equal(Filter.Eq("a", "x"), Filter.Parse("""{"a":{"$eq":"x"}}"""));
        Assert.Equal(Filter.Ne("a", "x"), Filter.Parse("""{"a":{"$ne":"x"}}"""));
        Assert.Equal(Filter.Gt("a", 1.5), Filter.Parse("""{"a":{"$gt":1.5}}"""));
        Assert.Equal(Filter.Gte("a", "m"), Filter.Parse("""{"a":{"$gte":"m"}}"""));
        Assert.Equal(Filter.Lt("a", -2), Filter.Parse("""{"a":{"$lt":-2}}"""));
        Assert.Equal(Filter.Lte("a", 0), Filter.Parse("""{"a":{"$lte":0}}"""));
        Assert.Equal(Filter.In("a", "x", 1, true, FilterValue.Null), Filter.Parse("""{"a":{"$in":["x",1,true,null]}}"""));
        Assert.Equal(Filter.Nin("a", 1, 2), Filter.Parse("""{"a":{"$nin":[1,2]}}"""));
        Assert.Equal(Filter.In("a"), Filter.Parse("""{"a":{"$in":[]}}"""));
        Assert.Equal(Filter.Contains("tags", "x"), Filter.Parse("""{"tags":{"$contains":"x"}}"""));
        Assert.Equal(Filter.Exists("a"), Filter.Parse("""{"a":{"$exists":true}}"""));
        Assert.Equal(Filter.Exists("a", false), Filter.Parse("""{"a":{"$exists":false}}"""));
    }

    [Fact]
    public void Logical_operators_parse()
    {
        Assert.Equal(Filter.And(Filter.Eq("a", 1)), Filter.Parse("""{"$and":[{"a":1}]}"""));
        Assert.Equal(Filter.Or(Filter.Eq("a", 1), Filter.Eq("b", 2)), Filter.Parse("""{"$or":[{"a":1},{"b":2}]}"""));
        Assert.Equal(Filter.Not(Filter.Eq("a", 1)), Filter.Parse("""{"$not":{"a":1}}"""));
        Assert.Equal(
            Filter.Not(Filter.And(Filter.Eq("a", 1), Filter.Eq("b", 2))),
            Filter.Parse("""{"$not":{"a":1,"b":2}}"""));
    }

    [Fact]
    public void Field_level_not_negates_the_operator_object()
    {
        Assert.Equal(Filter.Not(Filter.Gt("price", 5)), Filter.Parse("""{"price":{"$not":{"$gt":5}}}"""));
        Assert.Equal(
            Filter.Not(Filter.And(Filter.Gt("price", 5), Filter.Lt("price", 9))),
            Filter.Parse("""{"price":{"$not":{"$gt":5,"$lt":9}}}"""));
    }

    [Fact]
    public void Dot_paths_and_numeric_segments_are_kept_as_written()
    {
        var condition = Assert.IsType<FieldCondition>(Filter.Parse("""{"meta.author.name":"ann"}"""));
        Assert.Equal("meta.author.name", condition.Path.Text);
        Assert.Equal(Filter.Eq("items.0.name", "x"), Filter.Parse("""{"items.0.name":"x"}"""));
    }

    [Fact]
    public void Integral_numbers_written_with_a_fraction_equal_integers()
    {
        Assert.Equal(Filter.Eq("n", 5), Filter.Parse("""{"n":5.0}"""));
        Assert.Equal(Filter.Eq("n", 9007199254740993L), Filter.Parse("""{"n":9007199254740993}"""));
        Assert.NotEqual(Filter.Eq("n", 9007199254740992L), Filter.Parse("""{"n":9007199254740993}"""));
    }

    [Fact]
    public void Parse_of_a_json_element_gives_the_same_filter()
    {
        using JsonDocument document = JsonDocument.Parse("""{"a":{"$in":[1,2]},"b":"x"}""");
        Assert.Equal(Filter.Parse(document.RootElement.GetRawText()), Filter.Parse(document.RootElement));
    }

    [Fact]
    public void Null_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => Filter.Parse((string)null!));
    }

    [Theory]
    [InlineData("{\"a\":", "$", "not valid JSON")]
    [InlineData("not json", "$", "not valid JSON")]
    [InlineData("[1]", "$", "expected a filter object, found an array")]
    [InlineData("\"x\"", "$", "found a string")]
    [InlineData("{}", "$", "pass no filter")]
    [InlineData("{\"a\":{\"$foo\":1}}", "$.a.$foo", "unknown operator '$foo'")]
    [InlineData("{\"$foo\":1}", "$.$foo", "unknown operator '$foo'")]
    [InlineData("{\"$gt\":5}", "$.$gt", "applies to a field")]
    [InlineData("{\"a\":{\"$in\":5}}", "$.a.$in", "$in expects an array")]
    [InlineData("{\"a\":{\"$nin\":\"x\"}}", "$.a.$nin", "$nin expects an array")]
    [InlineData("{\"a\":{\"$in\":[1,{}]}}", "$.a.$in[1]", "found an object")]
    [InlineData("{\"a\":{\"$gt\":{}}}", "$.a.$gt", "$gt expects a number or a string, found an object")]
    [InlineData("{\"a\":{\"$gte\":[1]}}", "$.a.$gte", "found an array")]
    [InlineData("{\"a\":{\"$lt\":true}}", "$.a.$lt", "found true")]
    [InlineData("{\"a\":{\"$lte\":null}}", "$.a.$lte", "found null")]
    [InlineData("{\"a\":{\"$eq\":[[1]]}}", "$.a.$eq[0]", "found an array")]
    [InlineData("{\"a\":{\"$contains\":[1]}}", "$.a.$contains", "expects a single value")]
    [InlineData("{\"a\":{\"$in\":[[1,{}]]}}", "$.a.$in[0][1]", "found an object")]
    [InlineData("{\"a\":{\"$contains\":{}}}", "$.a.$contains", "found an object")]
    [InlineData("{\"$and\":[]}", "$.$and", "at least one")]
    [InlineData("{\"$and\":{\"a\":1}}", "$.$and", "expects an array")]
    [InlineData("{\"$or\":[]}", "$.$or", "at least one")]
    [InlineData("{\"$or\":[{\"a\":1},5]}", "$.$or[1]", "expected a filter object, found a number")]
    [InlineData("{\"$and\":[{}]}", "$.$and[0]", "pass no filter")]
    [InlineData("{\"$not\":5}", "$.$not", "$not expects a filter object")]
    [InlineData("{\"a\":{\"$exists\":1}}", "$.a.$exists", "$exists expects true or false")]
    [InlineData("{\"a\":{\"$exists\":\"yes\"}}", "$.a.$exists", "found a string")]
    [InlineData("{\"\":1}", "$['']", "the field path is empty")]
    [InlineData("{\"a..b\":1}", "$['a..b']", "empty segment")]
    [InlineData("{\".a\":1}", "$['.a']", "empty segment")]
    [InlineData("{\"a.\":1}", "$['a.']", "empty segment")]
    [InlineData("{\"a\":{\"$gt\":1,\"b\":2}}", "$.a", "mixed")]
    [InlineData("{\"a\":{\"b\":1}}", "$.a", "\"a.b\"")]
    [InlineData("{\"a\":[1,[2]]}", "$.a[1]", "each element of an array value")]
    [InlineData("{\"a\":{}}", "$.a", "empty operator object")]
    [InlineData("{\"a\":{\"$and\":[{\"b\":1}]}}", "$.a.$and", "top level")]
    [InlineData("{\"a\":{\"$not\":5}}", "$.a.$not", "operator object")]
    [InlineData("{\"a\":{\"$not\":{\"b\":1}}}", "$.a.$not", "\"a.b\"")]
    [InlineData("{\"a\":1,\"a\":2}", "$.a", "more than once")]
    [InlineData("{\"a\":{\"$gt\":1,\"$gt\":2}}", "$.a.$gt", "more than once")]
    [InlineData("{\"a\":{\"$eq\":1e400}}", "$.a.$eq", "out of range")]
    [InlineData("{\"a\":\"\\ud800\"}", "$.a", "unpaired surrogate")]
    [InlineData("{\"meta.x\":{\"$gt\":{}}}", "$['meta.x'].$gt", "found an object")]
    [InlineData("{\"\\ud800\":1}", "$", "the filter holds a string that is not valid UTF-16")]
    [InlineData("{\"a\":{\"$or\":[{\"b\":1}]}}", "$.a.$or", "$or must be used at the top level")]
    [InlineData("{\"a\":{\"$nin\":[{}]}}", "$.a.$nin[0]", "each value of $nin must be a string, number, boolean or null, found an object")]
    [InlineData("{\"a\":{\"$gt\":false}}", "$.a.$gt", "found false")]
    [InlineData("{\"a\":{\"$gt\":1,\"$lt\":5,\"b\":2,\"c\":3}}", "$.a", "operators ('$gt') and plain keys ('b') are mixed")]
    [InlineData("{\"a\":{\"b\":1,\"c\":2}}", "$.a", "an object is not a value to compare with; to match the nested field 'b', use the dot path \"a.b\"")]
    public void Malformed_filters_are_rejected_with_their_location(string json, string location, string messagePart)
    {
        FilterParseException error = Assert.Throws<FilterParseException>(() => Filter.Parse(json));
        Assert.Equal(location, error.Location);
        Assert.Contains(location, error.Message, StringComparison.Ordinal);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        Assert.Equal(VectLiteErrorCode.InvalidFilter, error.Code);
    }

    [Fact]
    public void Invalid_json_keeps_the_reader_error_as_inner_exception()
    {
        FilterParseException error = Assert.Throws<FilterParseException>(() => Filter.Parse("{\"a\" 1}"));
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
    }

    [Fact]
    public void Top_level_value_that_is_not_an_object_is_rejected_from_an_element()
    {
        using JsonDocument document = JsonDocument.Parse("5");
        FilterParseException error = Assert.Throws<FilterParseException>(() => Filter.Parse(document.RootElement));
        Assert.Equal("$", error.Location);
        error = Assert.Throws<FilterParseException>(() => Filter.Parse(default(JsonElement)));
        Assert.Contains("expected a filter object, found nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_beyond_the_limit_is_rejected()
    {
        string json = "{\"a\":1}";
        for (int i = 0; i < FilterParser.MaxNesting; i++)
        {
            json = "{\"$not\":" + json + "}";
        }

        FilterParseException error = Assert.Throws<FilterParseException>(() => Filter.Parse(json));
        Assert.Contains("nest more than", error.Message, StringComparison.Ordinal);

        string allowed = "{\"a\":1}";
        for (int i = 1; i < FilterParser.MaxNesting; i++)
        {
            allowed = "{\"$not\":" + allowed + "}";
        }

        Assert.IsType<NotFilter>(Filter.Parse(allowed));
    }

    [Fact]
    public void The_deepest_filter_allowed_fits_the_json_depth_limit()
    {
        // 31 $and levels (an object and an array each, 62 JSON levels) around a 32nd level of 4 JSON levels
        // ({"a":{"$in":[[1]]}}): 66 in all, the deepest JSON an accepted filter can have.
        string json = "{\"a\":{\"$in\":[[1]]}}";
        for (int i = 1; i < FilterParser.MaxNesting; i++)
        {
            json = "{\"$and\":[" + json + "]}";
        }

        Filter parsed = Filter.Parse(json);
        Assert.IsType<AndFilter>(parsed);
    }

    [Fact]
    public void Field_level_not_nesting_beyond_the_limit_is_rejected_where_it_happens()
    {
        // {"a":{"$not":...{"$gt":1}}}: the field is level 1 and each $not one level more, so 31 are allowed, 32 not.
        string Nested(int nots)
        {
            string json = "{\"$gt\":1}";
            for (int i = 0; i < nots; i++)
            {
                json = "{\"$not\":" + json + "}";
            }

            return "{\"a\":" + json + "}";
        }

        Assert.IsType<NotFilter>(Filter.Parse(Nested(31)));

        FilterParseException error = Assert.Throws<FilterParseException>(() => Filter.Parse(Nested(32)));
        Assert.Equal("$.a" + string.Concat(Enumerable.Repeat(".$not", 32)), error.Location);
        Assert.Contains("filters nest more than 32 levels deep", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void And_nesting_beyond_the_limit_is_rejected_where_it_happens()
    {
        // 32 $and levels around {"a":1} are 33 filter levels: the innermost object is one too deep.
        string json = "{\"a\":1}";
        for (int i = 0; i < FilterParser.MaxNesting; i++)
        {
            json = "{\"$and\":[" + json + "]}";
        }

        FilterParseException error = Assert.Throws<FilterParseException>(() => Filter.Parse(json));
        Assert.Equal("$" + string.Concat(Enumerable.Repeat(".$and[0]", 32)), error.Location);
        Assert.Contains("filters nest more than 32 levels deep", error.Message, StringComparison.Ordinal);
    }
}
