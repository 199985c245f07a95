using System.Globalization;
using System.Text.Json;
using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class NumericRangeIndexTests
{
    [Fact]
    public void Ranges_are_exact_across_merges_of_the_tail()
    {
        var path = PayloadPath.Create("v", "path");
        var index = new NumericRangeIndex(path, isComplete: true);
        var random = new Random(5);
        var values = new double[5000];
        for (int row = 0; row < values.Length; row++)
        {
            values[row] = random.Next(-500, 500) / 4.0;
            using JsonDocument document = JsonDocument.Parse(
                "{\"v\":" + values[row].ToString("R", CultureInfo.InvariantCulture) + "}");
            index.Add(row, document.RootElement);
        }

        Assert.True(index.SortedCount >= 4096, $"Expected several merges, sorted part holds {index.SortedCount}.");

        for (int trial = 0; trial < 200; trial++)
        {
            double bound = random.Next(-520, 520) / 4.0;
            int limit = random.Next(0, values.Length + 1);
            Filter[] filters = [Filter.Gt("v", bound), Filter.Gte("v", bound), Filter.Lt("v", bound), Filter.Lte("v", bound), Filter.Eq("v", bound)];
            Func<double, bool>[] predicates = [v => v > bound, v => v >= bound, v => v < bound, v => v <= bound, v => v == bound];
            for (int f = 0; f < filters.Length; f++)
            {
                var buffer = new RowBuffer();
                Assert.True(index.TryCollect((FieldCondition)filters[f], limit, buffer));
                int[] expected = [.. Enumerable.Range(0, limit).Where(row => predicates[f](values[row]))];
                Assert.Equal(expected, buffer.ToSortedUniqueArray());
            }
        }
    }

    [Fact]
    public void Integers_beyond_double_precision_widen_the_bounds_instead_of_losing_rows()
    {
        var index = new NumericRangeIndex(PayloadPath.Create("v", "path"), isComplete: true);
        string[] texts = ["9007199254740992", "9007199254740993", "9007199254740994", "-9007199254740993"];
        for (int row = 0; row < texts.Length; row++)
        {
            using JsonDocument document = JsonDocument.Parse("{\"v\":" + texts[row] + "}");
            index.Add(row, document.RootElement);
        }

        var buffer = new RowBuffer();
        Assert.True(index.TryCollect((FieldCondition)Filter.Gt("v", 9007199254740992L), 4, buffer));
        Assert.Contains(1, buffer.ToSortedUniqueArray());

        buffer = new RowBuffer();
        Assert.True(index.TryCollect((FieldCondition)Filter.Lt("v", -9007199254740992L), 4, buffer));
        Assert.Contains(3, buffer.ToSortedUniqueArray());
    }

    [Fact]
    public void Memory_counts_both_parts_the_four_array_headers_and_the_column()
    {
        // Worked out by hand: an empty index has a 1,024-pair tail (8 + 4 bytes a pair), 4 array headers of 24 bytes
        // and a column of 24 + 4 * 8 bytes; the first row adds a column chunk of 48 + 4,096 * (8 + 1) bytes; the
        // 1,025th row merges the 1,024 pairs into the sorted part and opens a new 1,024-pair tail.
        var index = new NumericRangeIndex(PayloadPath.Create("v", "path"), isComplete: true);
        Assert.Equal(12_440L, index.MemoryBytes);

        using JsonDocument document = JsonDocument.Parse("{\"v\":1.5}");
        index.Add(0, document.RootElement);
        Assert.Equal(49_352L, index.MemoryBytes);

        for (int row = 1; row <= 1024; row++)
        {
            index.Add(row, document.RootElement);
        }

        Assert.Equal(1024, index.SortedCount);
        Assert.Equal(61_640L, index.MemoryBytes);
    }

    [Fact]
    public void The_tail_holds_1024_pairs_until_an_eighth_of_the_sorted_part_is_more()
    {
        // By hand: the tail merges when full, on the next add. Nine merges of 1,024 pairs give a sorted part of 9,216,
        // whose eighth (1,152) is the next tail; it merges on the 10,369th add.
        var index = new NumericRangeIndex(PayloadPath.Create("v", "path"), isComplete: true);
        using JsonDocument document = JsonDocument.Parse("{\"v\":2}");
        int[] sortedAfter = new int[10_369];
        for (int row = 0; row < sortedAfter.Length; row++)
        {
            index.Add(row, document.RootElement);
            sortedAfter[row] = index.SortedCount;
        }

        Assert.Equal(0, sortedAfter[1023]);
        Assert.Equal(1024, sortedAfter[1024]);
        Assert.Equal(8192, sortedAfter[9215]);
        Assert.Equal(9216, sortedAfter[9216]);
        Assert.Equal(9216, sortedAfter[10_367]);
        Assert.Equal(10_368, sortedAfter[10_368]);
    }

    // 1e400 reads as +Infinity (row 0) and -1e400 as -Infinity (row 1); the evaluator orders them above and below
    // every operand, so the open ends of the index's ranges must include them. One case per operator, so each bound
    // is checked on its own.
    [Theory]
    [InlineData("$gt", 5, 0)]
    [InlineData("$gte", 5, 0)]
    [InlineData("$lt", -5, 1)]
    [InlineData("$lte", -5, 1)]
    public void Payload_numbers_beyond_the_double_range_are_infinities_every_index_range_reaches(string op, int operand, int row)
    {
        NumericRangeIndex index = IndexOfInfinities();
        var condition = (FieldCondition)Filter.Parse("{\"v\":{\"" + op + "\":" + operand + "}}");

        var buffer = new RowBuffer();
        Assert.True(index.TryCollect(condition, 3, buffer));
        Assert.Equal([row], buffer.ToSortedUniqueArray());
    }

    [Theory]
    [InlineData("$gt", 5, 0)]
    [InlineData("$gte", 5, 0)]
    [InlineData("$lt", -5, 1)]
    [InlineData("$lte", -5, 1)]
    public void Payload_numbers_beyond_the_double_range_are_infinities_every_column_range_reaches(string op, int operand, int row)
    {
        NumericRangeIndex index = IndexOfInfinities();
        var condition = (FieldCondition)Filter.Parse("{\"v\":{\"" + op + "\":" + operand + "}}");

        ColumnFilter column = Assert.IsAssignableFrom<ColumnFilter>(index.TryCompile(condition));
        Assert.Equal(ColumnVerdict.Yes, column.Test(row));
        Assert.Equal(ColumnVerdict.No, column.Test(2));
    }

    [Fact]
    public void Integer_operands_beyond_double_precision_are_not_compiled_to_the_column()
    {
        // The column holds doubles; 2^53 + 1 would round, so the payload must decide.
        var index = new NumericRangeIndex(PayloadPath.Create("v", "path"), isComplete: true);
        Assert.Null(index.TryCompile((FieldCondition)Filter.Gt("v", 9007199254740993L)));
        Assert.NotNull(index.TryCompile((FieldCondition)Filter.Gt("v", 9007199254740991L)));
    }

    private static NumericRangeIndex IndexOfInfinities()
    {
        var index = new NumericRangeIndex(PayloadPath.Create("v", "path"), isComplete: true);
        string[] texts = ["1e400", "-1e400", "0"];
        for (int r = 0; r < texts.Length; r++)
        {
            using JsonDocument document = JsonDocument.Parse("{\"v\":" + texts[r] + "}");
            index.Add(r, document.RootElement);
        }

        return index;
    }
}
