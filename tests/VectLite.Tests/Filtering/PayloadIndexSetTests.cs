using System.Text.Json;
using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class PayloadIndexSetTests
{
    private static readonly string[] Payloads =
    [
        """{"color":"red","price":5,"active":true,"tags":["a","b"]}""",
        """{"color":"blue","price":7.5,"active":false,"tags":["b"]}""",
        """{"color":["red","green"],"price":[1,20],"active":[true]}""",
        """{"color":"dark red","price":"5","active":1}""",
        """{}""",
        """{"color":null,"price":null,"items":[{"n":"red"},{"n":"x"}]}""",
        """{"color":"green","price":9007199254740993}""",
    ];

    private static PayloadIndexSet BuildSet(out JsonDocument[] documents)
    {
        var set = new PayloadIndexSet();
        set.Define("color", PayloadIndexKind.Keyword);
        set.Define("price", PayloadIndexKind.Numeric);
        set.Define("active", PayloadIndexKind.Bool);
        set.Define("items.n", PayloadIndexKind.Keyword);
        documents = [.. Payloads.Select(p => JsonDocument.Parse(p))];
        for (int row = 0; row < documents.Length; row++)
        {
            set.Add(row, documents[row].RootElement);
        }

        return set;
    }

    private static int[] Scan(JsonDocument[] documents, Filter filter, int rowLimit) =>
        [.. Enumerable.Range(0, rowLimit).Where(row => filter.Matches(documents[row].RootElement))];

    [Theory]
    [InlineData("""{"color":"red"}""", new[] { 0, 2 })]
    [InlineData("""{"color":{"$in":["blue","green"]}}""", new[] { 1, 2, 6 })]
    [InlineData("""{"color":{"$contains":"red"}}""", new[] { 0, 2, 3 })]
    [InlineData("""{"price":5}""", new[] { 0 })]
    [InlineData("""{"price":{"$gt":5}}""", new[] { 1, 2, 6 })]
    [InlineData("""{"price":{"$gte":5,"$lt":8}}""", new[] { 0, 1, 2 })]
    [InlineData("""{"price":{"$lte":1}}""", new[] { 2 })]
    [InlineData("""{"price":{"$gt":9007199254740992}}""", new[] { 6 })]
    [InlineData("""{"active":true}""", new[] { 0, 2 })]
    [InlineData("""{"active":{"$in":[true,false]}}""", new[] { 0, 1, 2 })]
    [InlineData("""{"items.n":"red"}""", new[] { 5 })]
    [InlineData("""{"$or":[{"color":"blue"},{"price":{"$lt":2}}]}""", new[] { 1, 2 })]
    [InlineData("""{"color":"red","qty":{"$ne":1}}""", new[] { 0, 2 })]
    [InlineData("""{"color":"red","price":20}""", new[] { 2 })]
    [InlineData("""{"color":"purple"}""", new int[0])]
    public void Answerable_filters_give_a_superset_of_the_scan(string json, int[] expected)
    {
        PayloadIndexSet set = BuildSet(out JsonDocument[] documents);
        Filter filter = Filter.Parse(json);

        Assert.True(set.TryGetCandidates(filter, documents.Length, out int[] rows));
        Assert.Equal(expected, Scan(documents, filter, documents.Length));
        Assert.Empty(expected.Except(rows));
        Assert.Equal(expected, rows.Where(row => filter.Matches(documents[row].RootElement)));
    }

    [Theory]
    [InlineData("""{"color":{"$ne":"red"}}""")]
    [InlineData("""{"color":{"$nin":["red"]}}""")]
    [InlineData("""{"color":{"$exists":true}}""")]
    [InlineData("""{"$not":{"color":"red"}}""")]
    [InlineData("""{"color":null}""")]
    [InlineData("""{"color":{"$in":["red",null]}}""")]
    [InlineData("""{"color":5}""")]
    [InlineData("""{"color":{"$gt":"a"}}""")]
    [InlineData("""{"price":"5"}""")]
    [InlineData("""{"price":{"$gt":"5"}}""")]
    [InlineData("""{"price":{"$contains":"5"}}""")]
    [InlineData("""{"active":1}""")]
    [InlineData("""{"qty":1}""")]
    [InlineData("""{"items.0.n":"red"}""")]
    [InlineData("""{"$or":[{"color":"red"},{"qty":1}]}""")]
    [InlineData("""{"qty":1,"$not":{"color":"red"}}""")]
    public void Unanswerable_filters_ask_for_a_scan(string json)
    {
        PayloadIndexSet set = BuildSet(out JsonDocument[] documents);
        Assert.False(set.TryGetCandidates(Filter.Parse(json), documents.Length, out int[] rows));
        Assert.Empty(rows);
    }

    [Fact]
    public void Candidates_stay_below_the_row_limit()
    {
        PayloadIndexSet set = BuildSet(out _);
        Assert.True(set.TryGetCandidates(Filter.Eq("color", "red"), 2, out int[] rows));
        Assert.Equal(new[] { 0 }, rows);
        Assert.True(set.TryGetCandidates(Filter.Gt("price", 0), 0, out rows));
        Assert.Empty(rows);
    }

    [Fact]
    public void A_set_without_indexes_answers_nothing()
    {
        var set = new PayloadIndexSet();
        using JsonDocument document = JsonDocument.Parse("""{"color":"red"}""");
        set.Add(0, document.RootElement);
        Assert.False(set.TryGetCandidates(Filter.Eq("color", "red"), 1, out _));
    }

    [Fact]
    public void Define_is_idempotent_and_rejects_a_second_kind()
    {
        var set = new PayloadIndexSet();
        set.Define("color", PayloadIndexKind.Keyword);
        set.Define("color", PayloadIndexKind.Keyword);
        set.Define("price", PayloadIndexKind.Numeric);
        Assert.Equal(new[] { ("color", PayloadIndexKind.Keyword), ("price", PayloadIndexKind.Numeric) }, set.Definitions);

        SchemaException error = Assert.Throws<SchemaException>(() => set.Define("color", PayloadIndexKind.Numeric));
        Assert.Contains("color", error.Message, StringComparison.Ordinal);
        Assert.Contains("Keyword", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Define_validates_its_arguments()
    {
        var set = new PayloadIndexSet();
        Assert.Throws<ArgumentNullException>(() => set.Define(null!, PayloadIndexKind.Bool));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Define("a", (PayloadIndexKind)42));
        Assert.Contains("empty segment", Assert.Throws<SchemaException>(() => set.Define("a..b", PayloadIndexKind.Bool)).Message, StringComparison.Ordinal);
        Assert.Throws<SchemaException>(() => set.Define("", PayloadIndexKind.Bool));
        Assert.Empty(set.Definitions);
    }

    [Fact]
    public void Remove_drops_the_index_and_allows_a_new_kind()
    {
        PayloadIndexSet set = BuildSet(out JsonDocument[] documents);
        Assert.True(set.Remove("color"));
        Assert.False(set.Remove("color"));
        Assert.DoesNotContain(set.Definitions, d => d.Field == "color");
        Assert.False(set.TryGetCandidates(Filter.Eq("color", "red"), documents.Length, out _));

        // Defined after rows were added: incomplete, so never consulted until the set is rebuilt.
        set.Define("color", PayloadIndexKind.Numeric);
        Assert.False(set.TryGetCandidates(Filter.Eq("color", 1), documents.Length, out _));
        Assert.True(set.TryGetCandidates(Filter.Eq("color", 1) & Filter.Eq("price", 5), documents.Length, out int[] rows));
        Assert.Equal(new[] { 0 }, rows);
    }

    [Fact]
    public void Rows_must_be_added_in_increasing_order()
    {
        var set = new PayloadIndexSet();
        set.Add(3, default);
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(3, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(2, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Add(-1, default));
        set.Add(10, default);
    }

    [Fact]
    public void Try_get_candidates_validates_its_arguments()
    {
        var set = new PayloadIndexSet();
        Assert.Throws<ArgumentNullException>(() => set.TryGetCandidates(null!, 1, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.TryGetCandidates(Filter.Eq("a", 1), -1, out _));
    }

    [Fact]
    public void A_row_listed_twice_under_one_value_is_returned_once()
    {
        var set = new PayloadIndexSet();
        set.Define("tags", PayloadIndexKind.Keyword);
        set.Define("n", PayloadIndexKind.Numeric);
        using JsonDocument document = JsonDocument.Parse("""{"tags":["x","x","xy"],"n":[3,3,4]}""");
        set.Add(0, document.RootElement);
        Assert.True(set.TryGetCandidates(Filter.Contains("tags", "x"), 1, out int[] rows));
        Assert.Equal(new[] { 0 }, rows);
        Assert.True(set.TryGetCandidates(Filter.Gte("n", 3), 1, out rows));
        Assert.Equal(new[] { 0 }, rows);
    }

    [Fact]
    public void Memory_is_the_sum_of_the_indexes_estimates()
    {
        // By hand, for one row {"color":"red","active":true,"price":1.5}. A posting list is 24 + 8 bytes a directory
        // slot + 24 + 4 bytes a chunk slot (first chunk: 4 slots), so 72 bytes with one row and 32 empty; a column is
        // 24 + 4 * 8 bytes plus, for the chunk of row 0, 48 + 4,096 * (value size + 1) bytes.
        //   keyword: "red" (24 + 2 * 3 + 48 + 72) + one ordinal (16) + int column (56 + 20,528) = 20,750
        //   bool:    true list (72) + false list (32) + int column (20,584)                     = 20,688
        //   numeric: tail of 1,024 pairs (12,288) + 4 headers (96) + double column (56 + 36,912) = 49,352
        var set = new PayloadIndexSet();
        Assert.Equal(0L, set.MemoryBytes);
        set.Define("color", PayloadIndexKind.Keyword);
        set.Define("active", PayloadIndexKind.Bool);
        set.Define("price", PayloadIndexKind.Numeric);
        using JsonDocument document = JsonDocument.Parse("""{"color":"red","active":true,"price":1.5}""");
        set.Add(0, document.RootElement);

        Assert.Equal(20_750L + 20_688L + 49_352L, set.MemoryBytes);
    }

    [Fact]
    public void An_index_defined_after_the_first_row_is_not_consulted()
    {
        // Row 0 was added before the index existed, so the index lacks it and could not give a superset.
        var set = new PayloadIndexSet();
        using JsonDocument document = JsonDocument.Parse("""{"color":"red"}""");
        set.Add(0, document.RootElement);
        set.Define("color", PayloadIndexKind.Keyword);

        Assert.False(set.TryGetCandidates(Filter.Eq("color", "red"), 1, out int[] rows));
        Assert.Empty(rows);
    }

    [Fact]
    public void An_and_gives_the_intersection_of_its_answerable_children()
    {
        // color red: rows 0 and 2; price 20: row 2. Either order gives row 2 alone, not one child's rows.
        PayloadIndexSet set = BuildSet(out JsonDocument[] documents);
        Assert.True(set.TryGetCandidates(Filter.Parse("""{"price":20,"color":"red"}"""), documents.Length, out int[] rows));
        Assert.Equal(new[] { 2 }, rows);
        Assert.True(set.TryGetCandidates(Filter.Parse("""{"color":"red","price":20}"""), documents.Length, out rows));
        Assert.Equal(new[] { 2 }, rows);
    }

    [Fact]
    public void Try_mark_and_try_compile_validate_their_arguments()
    {
        var set = new PayloadIndexSet();
        set.Define("a", PayloadIndexKind.Numeric);
        Assert.Throws<ArgumentNullException>(() => set.TryMark(null!, 1, out _, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.TryMark(Filter.Eq("b", 1), -1, out _, out _));
        Assert.Throws<ArgumentNullException>(() => set.TryCompile(null!));
    }
}
