using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class FilterBuilderTests
{
    [Fact]
    public void Operators_build_flattened_and_or_not()
    {
        Filter a = Filter.Eq("a", 1);
        Filter b = Filter.Eq("b", 2);
        Filter c = Filter.Eq("c", 3);

        Assert.Equal(Filter.And(a, b, c), a & b & c);
        Assert.Equal(Filter.Or(a, b, c), a | (b | c));
        Assert.Equal(Filter.Not(a), !a);
        Assert.Equal(Filter.Or(Filter.And(a, b), c), (a & b) | c);
        Assert.NotEqual(Filter.And(Filter.And(a, b), c), a & b & c);
    }

    [Fact]
    public void Equality_is_structural_and_order_sensitive()
    {
        Assert.Equal(Filter.Eq("a", 1), Filter.Eq("a", 1.0));
        Assert.Equal(Filter.Eq("a", 1).GetHashCode(), Filter.Eq("a", 1.0).GetHashCode());
        Assert.NotEqual(Filter.Eq("a", 1), Filter.Eq("a", "1"));
        Assert.NotEqual(Filter.Eq("a", 1), Filter.Ne("a", 1));
        Assert.NotEqual(Filter.Eq("a", 1), Filter.Eq("b", 1));
        Assert.NotEqual(Filter.And(Filter.Eq("a", 1), Filter.Eq("b", 1)), Filter.And(Filter.Eq("b", 1), Filter.Eq("a", 1)));
        Assert.NotEqual(Filter.And(Filter.Eq("a", 1)), Filter.Or(Filter.Eq("a", 1)));
        Assert.NotEqual(Filter.In("a", 1, 2), Filter.In("a", 2, 1));
        Assert.False(Filter.Eq("a", 1).Equals(null));
        Assert.False(Filter.Eq("a", 1).Equals("a"));
    }

    [Fact]
    public void In_copies_its_values()
    {
        FilterValue[] values = ["x", "y"];
        Filter filter = Filter.In("a", values);
        values[0] = "z";
        Assert.Equal(Filter.In("a", "x", "y"), filter);
    }

    [Fact]
    public void And_copies_its_children()
    {
        Filter[] children = [Filter.Eq("a", 1), Filter.Eq("b", 1)];
        Filter filter = Filter.And(children);
        children[0] = Filter.Eq("z", 1);
        Assert.Equal(Filter.Eq("a", 1) & Filter.Eq("b", 1), filter);
    }

    [Fact]
    public void Null_path_throws_argument_null()
    {
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Filter.Eq(null!, 1)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Filter.Exists(null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Filter.In(null!, 1)).ParamName);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("a..b", "empty segment")]
    [InlineData(".a", "empty segment")]
    [InlineData("a.", "empty segment")]
    [InlineData("$a", "starts with '$'")]
    public void Invalid_paths_throw_argument_exceptions_that_say_why(string path, string reason)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Filter.Gt(path, 1));
        Assert.Equal("path", error.ParamName);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_finite_numbers_are_rejected()
    {
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => Filter.Eq("a", double.NaN)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => Filter.Gt("a", double.PositiveInfinity)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => Filter.Contains("a", float.NaN)).ParamName);
        Assert.Equal("values[1]", Assert.Throws<ArgumentException>(() => Filter.In("a", 1, double.NaN)).ParamName);
    }

    [Fact]
    public void Range_operators_need_a_number_or_a_string()
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => Filter.Lt("a", true));
        Assert.Equal("value", error.ParamName);
        Assert.Contains("$lt", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Filter.Gte("a", FilterValue.Null));
        Assert.Equal(Filter.Parse("""{"a":{"$lt":"m"}}"""), Filter.Lt("a", "m"));
    }

    [Fact]
    public void Unpaired_surrogates_in_operands_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Filter.Eq("a", "x\uD800"));
        Assert.Throws<ArgumentException>(() => Filter.Eq("a\uDC00", "x"));
    }

    [Fact]
    public void Logical_builders_check_their_children()
    {
        Assert.Throws<ArgumentNullException>(() => Filter.And(null!));
        Assert.Equal("filters", Assert.Throws<ArgumentException>(() => Filter.Or()).ParamName);
        ArgumentException error = Assert.Throws<ArgumentException>(() => Filter.And(Filter.Eq("a", 1), null!));
        Assert.Contains("filters[1]", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => Filter.Not(null!));
        Assert.Throws<ArgumentNullException>(() => Filter.Eq("a", 1) & null!);
        Assert.Throws<ArgumentNullException>(() => null! | Filter.Eq("a", 1));
    }

    [Fact]
    public void Filter_values_convert_and_compare()
    {
        FilterValue fromString = "x";
        FilterValue fromNullString = (string?)null;
        FilterValue fromInt = 5;
        FilterValue fromDouble = 5.0;
        FilterValue fromFloat = 0.5f;
        FilterValue fromBool = true;

        Assert.Equal(FilterValueKind.String, fromString.Kind);
        Assert.Equal("x", fromString.StringValue);
        Assert.Equal(FilterValue.Null, fromNullString);
        Assert.Equal(FilterValueKind.Null, default(FilterValue).Kind);
        Assert.True(fromInt == fromDouble);
        Assert.Equal(0.5, fromFloat.NumberValue);
        Assert.True(fromBool.BooleanValue);
        Assert.True(fromInt != fromString);
        Assert.Throws<InvalidOperationException>(() => fromInt.StringValue);
        Assert.Throws<InvalidOperationException>(() => fromString.NumberValue);
        Assert.Throws<InvalidOperationException>(() => fromString.BooleanValue);
        Assert.Equal("\"x\"", fromString.ToString());
        Assert.Equal("5", fromDouble.ToString());
        Assert.Equal("2.5", ((FilterValue)2.5).ToString());
        Assert.Equal("null", FilterValue.Null.ToString());
        Assert.Equal("true", fromBool.ToString());
    }

    [Fact]
    public void Large_integers_keep_their_exact_value()
    {
        FilterValue big = 9007199254740993L;
        FilterValue rounded = 9007199254740992L;
        Assert.NotEqual(big, rounded);
        Assert.Equal("9007199254740993", big.ToString());
    }

    [Fact]
    public void Doubles_at_the_ends_of_the_long_range_are_integers_only_when_they_fit()
    {
        // -2^63 is a long (the lowest); 2^63 is one past long.MaxValue, so it stays a double.
        FilterValue lowest = -9.2233720368547758E18;
        FilterValue pastHighest = 9.2233720368547758E18;

        Assert.Equal((FilterValue)long.MinValue, lowest);
        Assert.Equal("-9223372036854775808", lowest.ToString());
        Assert.NotEqual((FilterValue)long.MaxValue, pastHighest);
        Assert.Equal("9.223372036854776E+18", pastHighest.ToString());
    }

    [Fact]
    public void Arrays_and_false_print_as_json_literals()
    {
        Assert.Equal("false", ((FilterValue)false).ToString());
        Assert.Equal("[\"a\",1,true,false,null,2.5]", FilterValue.ArrayOf("a", 1, true, false, FilterValue.Null, 2.5).ToString());
        Assert.Equal("[]", FilterValue.ArrayOf().ToString());
    }

    [Fact]
    public void Numbers_that_are_not_integers_compare_by_value()
    {
        Assert.NotEqual((FilterValue)2.5, (FilterValue)3.5);
        Assert.Equal((FilterValue)2.5, (FilterValue)2.5);
        Assert.NotEqual(Filter.Eq("a", 2.5), Filter.Eq("a", 3.5));
    }

    [Fact]
    public void Array_and_accessor_errors_say_what_is_wrong()
    {
        ArgumentNullException missing = Assert.Throws<ArgumentNullException>(() => FilterValue.ArrayOf(null!));
        Assert.Equal("items", missing.ParamName);

        ArgumentException nested = Assert.Throws<ArgumentException>(() => FilterValue.ArrayOf("a", FilterValue.ArrayOf("b")));
        Assert.StartsWith("items[1] is an array; array operands hold strings, numbers, booleans or nulls, not nested arrays.", nested.Message, StringComparison.Ordinal);

        InvalidOperationException wrong = Assert.Throws<InvalidOperationException>(() => ((FilterValue)5).StringValue);
        Assert.Equal("The filter value is Number, not String.", wrong.Message);
    }
}
