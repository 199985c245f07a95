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
}
