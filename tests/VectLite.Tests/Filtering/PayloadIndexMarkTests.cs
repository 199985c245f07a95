using System.Text.Json;
using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

/// <summary>
/// The row sets a query builds from the payload indexes: always a superset of the matching rows, and exactly the
/// matching rows whenever the index says it answered exactly (then the engine reads no payload at all, so a wrong
/// "exact" would return rows that do not match). The expected sets come from evaluating the filter on each payload.
/// </summary>
public sealed class PayloadIndexMarkTests
{
    private const int RowCount = 3000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Marked_rows_are_a_superset_and_exact_answers_are_exact(int seed)
    {
        JsonDocument[] documents = RandomPayloads.Generate(RowCount, seed);
        try
        {
            var set = new PayloadIndexSet();
            foreach ((string field, PayloadIndexKind kind) in RandomPayloads.IndexDefinitions)
            {
                set.Define(field, kind);
            }
            for (int row = 0; row < RowCount; row++)
            {
                set.Add(row, documents[row].RootElement);
            }

            var random = new Random(seed * 104_729);
            int exactAnswers = 0, supersets = 0;
            for (int f = 0; f < 400; f++)
            {
                Filter filter = RandomPayloads.RandomFilter(random, depth: 2);
                int rowLimit = f % 4 == 0 ? random.Next(RowCount) : RowCount;
                if (!set.TryMark(filter, rowLimit, out RowBitset? rows, out bool exact))
                {
                    Assert.Null(rows);
                    Assert.False(set.TryGetCandidates(filter, rowLimit, out _), $"{filter}: the sorted candidates answer it but the row set does not.");
                    continue;
                }

                Assert.NotNull(rows);
                for (int row = 0; row < RowCount; row++)
                {
                    bool matches = row < rowLimit && filter.Matches(documents[row].RootElement);
                    if (matches)
                    {
                        Assert.True(rows.Contains(row), $"Row {row} matches {filter} but is not marked.");
                    }
                    else if (exact)
                    {
                        Assert.False(rows.Contains(row), $"Row {row} does not match {filter} (limit {rowLimit}) but the exact answer marks it.");
                    }
                }
                exactAnswers += exact ? 1 : 0;
                supersets += exact ? 0 : 1;
                RowBitset.Return(rows);
            }

            // Not vacuous: both kinds of answer occur often.
            Assert.True(exactAnswers > 40, $"Only {exactAnswers} exact answers.");
            Assert.True(supersets > 10, $"Only {supersets} superset answers.");
        }
        finally
        {
            foreach (JsonDocument document in documents)
            {
                document.Dispose();
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Column_verdicts_agree_with_evaluating_the_payload(int seed)
    {
        JsonDocument[] documents = RandomPayloads.Generate(RowCount, seed);
        try
        {
            var set = new PayloadIndexSet();
            foreach ((string field, PayloadIndexKind kind) in RandomPayloads.IndexDefinitions)
            {
                set.Define(field, kind);
            }
            for (int row = 0; row < RowCount; row++)
            {
                set.Add(row, documents[row].RootElement);
            }

            var random = new Random(seed * 7_001);
            int compiled = 0, decided = 0, unknown = 0;
            for (int f = 0; f < 400; f++)
            {
                Filter filter = RandomPayloads.RandomFilter(random, depth: 2);
                if (set.TryCompile(filter) is not { } columns)
                {
                    continue;
                }

                compiled++;
                for (int row = 0; row < RowCount; row++)
                {
                    bool matches = filter.Matches(documents[row].RootElement);
                    switch (columns.Test(row))
                    {
                        case ColumnVerdict.Yes:
                            Assert.True(matches, $"The columns say row {row} matches {filter}; its payload does not.");
                            decided++;
                            break;
                        case ColumnVerdict.No:
                            Assert.False(matches, $"The columns say row {row} does not match {filter}; its payload does.");
                            decided++;
                            break;
                        default:
                            unknown++;
                            break;
                    }
                }
            }

            // Not vacuous: many filters compile, and the columns decide most rows themselves (the generator puts arrays,
            // which the columns leave to the payload, in about a fifth of the fields).
            Assert.True(compiled > 40, $"Only {compiled} filters compiled.");
            Assert.True(decided > 3 * unknown, $"{decided} rows decided by the columns, {unknown} left to the payload.");
        }
        finally
        {
            foreach (JsonDocument document in documents)
            {
                document.Dispose();
            }
        }
    }

    [Theory]
    [InlineData("{\"n\": {\"$gte\": 5}}", true)]
    [InlineData("{\"n\": {\"$in\": [1, 2.5]}}", true)]
    [InlineData("{\"s\": \"a\"}", true)]
    [InlineData("{\"b\": true}", true)]
    [InlineData("{\"$or\": [{\"s\": \"a\"}, {\"n\": {\"$lt\": 3}}]}", true)]
    [InlineData("{\"s\": \"a\", \"n\": {\"$lt\": 3}}", true)]
    [InlineData("{\"s\": {\"$contains\": \"a\"}}", false)]
    [InlineData("{\"n\": {\"$contains\": 3}}", false)]
    [InlineData("{\"b\": {\"$contains\": true}}", false)]
    [InlineData("{\"n\": 9007199254740993}", false)]
    [InlineData("{\"s\": \"a\", \"unindexed\": 1}", false)]
    public void Exactness_follows_the_operator_and_the_operands(string filterJson, bool exact)
    {
        var set = new PayloadIndexSet();
        set.Define("n", PayloadIndexKind.Numeric);
        set.Define("s", PayloadIndexKind.Keyword);
        set.Define("b", PayloadIndexKind.Bool);
        using var document = JsonDocument.Parse("{\"n\": 3, \"s\": \"a\", \"b\": true}");
        set.Add(0, document.RootElement);

        Assert.True(set.TryMark(Filter.Parse(filterJson), 1, out RowBitset? rows, out bool actual));
        Assert.Equal(exact, actual);
        RowBitset.Return(rows);
    }
}
