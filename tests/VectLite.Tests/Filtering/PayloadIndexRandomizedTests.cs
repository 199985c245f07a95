using System.Text.Json;
using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class PayloadIndexRandomizedTests
{
    // Above the numeric tail capacity (1024) several times, so candidates come from merged sorted parts and tails.
    private const int RowCount = 3000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Candidates_are_a_superset_of_the_scan_for_random_filters(int seed)
    {
        JsonDocument[] documents = RandomPayloads.Generate(RowCount, seed);
        try
        {
            var set = new PayloadIndexSet();
            foreach ((string field, PayloadIndexKind kind) in RandomPayloads.IndexDefinitions)
            {
                set.Define(field, kind);
            }

            // Leave gaps in the row ids, as tombstoned rows leave them after a rebuild.
            int[] rowIds = new int[RowCount];
            for (int i = 0; i < RowCount; i++)
            {
                rowIds[i] = (i * 2) + (i % 3 == 0 ? 1 : 0);
                set.Add(rowIds[i], documents[i].RootElement);
            }

            var byRow = new Dictionary<int, JsonDocument>();
            for (int i = 0; i < RowCount; i++)
            {
                byRow[rowIds[i]] = documents[i];
            }

            var random = new Random(seed * 7919);
            int answered = 0;
            int narrowed = 0;
            for (int f = 0; f < 400; f++)
            {
                Filter filter = RandomPayloads.RandomFilter(random, depth: 2);
                int limitIndex = f % 4 == 0 ? random.Next(RowCount) : RowCount;
                int rowLimit = limitIndex == RowCount ? int.MaxValue : rowIds[limitIndex];

                var expected = new List<int>();
                for (int i = 0; i < RowCount && rowIds[i] < rowLimit; i++)
                {
                    if (filter.Matches(documents[i].RootElement))
                    {
                        expected.Add(rowIds[i]);
                    }
                }

                if (!set.TryGetCandidates(filter, rowLimit, out int[] rows))
                {
                    Assert.Empty(rows);
                    continue;
                }

                answered++;
                narrowed += rows.Length < limitIndex ? 1 : 0;
                AssertSortedUniqueBelow(rows, rowLimit, filter);
                foreach (int row in expected)
                {
                    Assert.True(Array.BinarySearch(rows, row) >= 0, $"Row {row} matches {filter} but is not a candidate.");
                }

                var rechecked = new List<int>();
                foreach (int row in rows)
                {
                    Assert.True(byRow.TryGetValue(row, out JsonDocument? document), $"Row {row} was never added.");
                    if (filter.Matches(document.RootElement))
                    {
                        rechecked.Add(row);
                    }
                }

                Assert.Equal(expected, rechecked);
            }

            // Guard against a vacuous pass: the generator must produce many answerable, narrowing filters.
            Assert.True(answered > 60, $"Only {answered} of 400 random filters were answerable.");
            Assert.True(narrowed > 30, $"Only {narrowed} answers narrowed the rows.");
        }
        finally
        {
            foreach (JsonDocument document in documents)
            {
                document.Dispose();
            }
        }
    }

    internal static void AssertSortedUniqueBelow(int[] rows, int rowLimit, Filter filter)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.True(rows[i] >= 0 && rows[i] < rowLimit, $"Row {rows[i]} is outside [0, {rowLimit}) for {filter}.");
            Assert.True(i == 0 || rows[i - 1] < rows[i], $"Rows are not strictly ascending at {i} for {filter}.");
        }
    }
}
