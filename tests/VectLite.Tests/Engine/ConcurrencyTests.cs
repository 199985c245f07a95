namespace VectLite.Tests.Engine;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Readers_see_whole_batches_only_while_a_writer_runs()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(8, Metric.L2));
        const int batches = 300;
        var failures = new List<string>();
        using var done = new CancellationTokenSource();

        // Batch b replaces ids 0..9 with payload gen=b: a consistent read sees ten records of one generation.
        var readers = Enumerable.Range(0, 3).Select(seed => Task.Run(() =>
        {
            var random = new Random(seed);
            while (!done.IsCancellationRequested)
            {
                var hits = c.Search(TestData.RandomVector(random, 8), new SearchOptions { TopK = 20 });
                if (hits.Count is not (0 or 10) || hits.Select(h => (int)h.Payload!["gen"]!).Distinct().Count() > 1)
                {
                    lock (failures)
                    {
                        failures.Add($"search saw {hits.Count} hits of generations {string.Join(",", hits.Select(h => h.Payload!["gen"]))}");
                    }
                }
                long count = c.Count();
                if (count is not (0 or 10))
                {
                    lock (failures)
                    {
                        failures.Add($"count saw {count}");
                    }
                }
            }
        })).ToArray();

        var random = new Random(42);
        for (int b = 0; b < batches; b++)
        {
            c.UpsertMany(Enumerable.Range(0, 10).Select(i => new Record(i, TestData.RandomVector(random, 8), new System.Text.Json.Nodes.JsonObject { ["gen"] = b })));
            if (b % 100 == 99)
            {
                c.Compact();
            }
        }
        done.Cancel();
        await Task.WhenAll(readers);
        Assert.Empty(failures);
        Assert.Equal(10, c.Count());
    }

    [Fact]
    public void Parallel_writers_are_serialised_without_losing_writes()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
        Parallel.For(0, 4, t =>
        {
            for (int i = 0; i < 250; i++)
            {
                c.Upsert(new Record(t * 1000 + i, new float[] { t, i, 1, 1 }));
            }
        });
        Assert.Equal(1000, c.Count());
    }
}
