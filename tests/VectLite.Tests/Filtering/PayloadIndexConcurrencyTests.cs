using System.Collections.Concurrent;
using System.Text.Json;
using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class PayloadIndexConcurrencyTests
{
    private const int RowCount = 20_000;
    private const int ReaderCount = 3;

    [Fact]
    public void Readers_see_a_superset_below_their_limit_while_the_writer_adds()
    {
        JsonDocument[] documents = RandomPayloads.Generate(RowCount, seed: 42);
        try
        {
            var random = new Random(4242);
            Filter[] filters =
            [
                Filter.Eq("color", "red"),
                Filter.In("tags", "alpha", "x"),
                Filter.Contains("color", "red"),
                Filter.Gt("price", 6),
                Filter.Lte("items.qty", 2.5),
                Filter.Eq("active", false),
                Filter.Gte("price", 3) & Filter.Eq("tags", "beta"),
                Filter.Eq("meta.author", "gamma") | Filter.Lt("price", 1),
                .. Enumerable.Range(0, 40).Select(_ => RandomPayloads.RandomFilter(random, depth: 2)),
            ];

            // Which rows match each filter, computed up front so readers compare without re-evaluating.
            var matches = new int[filters.Length][];
            for (int f = 0; f < filters.Length; f++)
            {
                matches[f] = [.. Enumerable.Range(0, RowCount).Where(row => filters[f].Matches(documents[row].RootElement))];
            }

            var set = new PayloadIndexSet();
            foreach ((string field, PayloadIndexKind kind) in RandomPayloads.IndexDefinitions)
            {
                set.Define(field, kind);
            }

            int published = 0;
            bool done = false;
            var failures = new ConcurrentQueue<string>();
            int answered = 0;
            int midStream = 0;
            using var start = new Barrier(ReaderCount + 1);

            var writer = new Thread(() =>
            {
                try
                {
                    start.SignalAndWait();
                    for (int row = 0; row < RowCount; row++)
                    {
                        if (row % 1000 == 999)
                        {
                            // No timing: wait until readers have answered more queries mid-stream (or one failed),
                            // so readers and writer overlap however busy the machine is.
                            int target = (row + 1) / 1000 * ReaderCount;
                            SpinWait.SpinUntil(() => Volatile.Read(ref midStream) >= target || !failures.IsEmpty);
                        }

                        if (row == RowCount / 3)
                        {
                            // A definition change mid-stream swaps the snapshot under the readers.
                            set.Define("qty", PayloadIndexKind.Numeric);
                        }

                        set.Add(row, documents[row].RootElement);
                        Volatile.Write(ref published, row + 1);
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue("writer: " + ex);
                }
                finally
                {
                    Volatile.Write(ref done, true);
                }
            });

            var readers = new Thread[ReaderCount];
            for (int r = 0; r < ReaderCount; r++)
            {
                int seed = r;
                readers[r] = new Thread(() =>
                {
                    var local = new Random(seed);
                    try
                    {
                        start.SignalAndWait();
                        // Run at least a few queries after the writer finished, so the full set is checked too.
                        int after = 0;
                        while (after < 20 && failures.IsEmpty)
                        {
                            if (Volatile.Read(ref done))
                            {
                                after++;
                            }

                            int f = local.Next(filters.Length);
                            int limit = Volatile.Read(ref published);
                            if (!set.TryGetCandidates(filters[f], limit, out int[] rows))
                            {
                                continue;
                            }

                            Interlocked.Increment(ref answered);
                            if (limit > 0 && limit < RowCount)
                            {
                                Interlocked.Increment(ref midStream);
                            }
                            string? problem = Check(rows, limit, matches[f]);
                            if (problem is not null)
                            {
                                failures.Enqueue($"{filters[f]} at limit {limit}: {problem}");
                            }
                        }
                    }
                    catch (Exception ex)
                    {
                        failures.Enqueue("reader: " + ex);
                    }
                });
            }

            writer.Start();
            foreach (Thread reader in readers)
            {
                reader.Start();
            }

            writer.Join();
            foreach (Thread reader in readers)
            {
                reader.Join();
            }

            Assert.Empty(failures);
            Assert.True(answered > 100, $"Only {answered} queries were answered by the indexes.");
            Assert.True(midStream >= (RowCount / 1000) * ReaderCount, $"Only {midStream} answered queries ran while the writer was adding rows.");
        }
        finally
        {
            foreach (JsonDocument document in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <summary>Null when <paramref name="rows"/> is ascending, below the limit and holds every matching row below it.</summary>
    private static string? Check(int[] rows, int limit, int[] matching)
    {
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] < 0 || rows[i] >= limit)
            {
                return $"row {rows[i]} is outside the limit";
            }

            if (i > 0 && rows[i - 1] >= rows[i])
            {
                return $"rows are not strictly ascending at {i}";
            }
        }

        foreach (int row in matching)
        {
            if (row >= limit)
            {
                break;
            }

            if (Array.BinarySearch(rows, row) < 0)
            {
                return $"matching row {row} is missing";
            }
        }

        return null;
    }
}
