using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// Scroll pages seek into an id-ordered index (<see cref="Records.OrderedKeyIndex"/>): each page must equal the first
/// records after the cursor in the collection as it is when the page is read, with writes, deletes, payload updates,
/// re-inserts and compactions landing between pages. The expected pages come from a model kept by the test (its own
/// ordering: numbers ascending, then strings ordinal; namespaces ordinal), never from the engine.
/// </summary>
public sealed class ScrollCursorTests
{
    /// <summary>The test's own key order: namespace (ordinal), then numeric ids ascending, then string ids ordinal.</summary>
    private sealed class ModelKeyOrder : IComparer<(string Ns, object Id)>
    {
        public static readonly ModelKeyOrder Instance = new();

        public int Compare((string Ns, object Id) x, (string Ns, object Id) y)
        {
            int c = string.CompareOrdinal(x.Ns, y.Ns);
            if (c != 0)
            {
                return c;
            }
            return (x.Id, y.Id) switch
            {
                (ulong a, ulong b) => a.CompareTo(b),
                (ulong, string) => -1,
                (string, ulong) => 1,
                (string a, string b) => string.CompareOrdinal(a, b),
                _ => throw new InvalidOperationException(),
            };
        }
    }

    private static RecordId ToId(object id) => id is ulong n ? new RecordId(n) : new RecordId((string)id);

    private static object FromId(RecordId id) => id.IsString ? id.AsString : id.AsNumber;

    private static object RandomId(Random random) => random.Next(3) == 0
        ? $"s{random.Next(400):D3}" + (random.Next(2) == 0 ? "" : "x") // strings that share prefixes
        : (ulong)random.Next(600);

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    public void Every_page_is_the_first_records_after_the_cursor_as_the_collection_is_when_the_page_is_read(int seed, bool allNamespaces)
    {
        var random = new Random(seed);
        string[] namespaces = ["", "a", "b"];
        using var db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        var model = new SortedDictionary<(string Ns, object Id), int>(ModelKeyOrder.Instance); // key -> version
        int version = 0;

        void Upsert(string ns, object id)
        {
            version++;
            c.Upsert(new Record(ToId(id), new float[] { 1, 2 }, new JsonObject { ["v"] = version }) { Namespace = ns });
            model[(ns, id)] = version;
        }

        for (int i = 0; i < 300; i++)
        {
            Upsert(namespaces[random.Next(namespaces.Length)], RandomId(random));
        }

        for (int pass = 0; pass < 3; pass++)
        {
            string scopeNs = namespaces[pass % namespaces.Length];
            string? cursor = null;
            (string Ns, object Id)? after = null;
            int pages = 0;
            do
            {
                int limit = random.Next(1, 9);
                ScrollPage page = c.Scroll(allNamespaces
                    ? new ScrollOptions { Limit = limit, AllNamespaces = true, Cursor = cursor }
                    : new ScrollOptions { Limit = limit, Namespace = scopeNs, Cursor = cursor });

                List<KeyValuePair<(string Ns, object Id), int>> expected = [.. model
                    .Where(kv => (allNamespaces || kv.Key.Ns == scopeNs) && (after is not { } a || ModelKeyOrder.Instance.Compare(kv.Key, a) > 0))
                    .Take(limit + 1)];
                Assert.Equal(
                    expected.Take(limit).Select(kv => (kv.Key.Ns, kv.Key.Id, kv.Value)).ToList(),
                    page.Records.Select(r => (r.Namespace!, FromId(r.Id), (int)r.Payload!["v"]!)).ToList());
                Assert.Equal(expected.Count > limit, page.NextCursor is not null);
                cursor = page.NextCursor;
                if (page.Records.Count > 0)
                {
                    after = (page.Records[^1].Namespace!, FromId(page.Records[^1].Id));
                }
                pages++;

                // Writes between pages, before and after the cursor: new keys, replacements, payload updates, deletes,
                // re-inserts of deleted keys, and now and then a compaction (a fresh state, a fresh index).
                int writes = random.Next(0, 6);
                for (int w = 0; w < writes; w++)
                {
                    string ns = namespaces[random.Next(namespaces.Length)];
                    object id = RandomId(random);
                    switch (random.Next(4))
                    {
                        case 0:
                        case 1:
                            Upsert(ns, id);
                            break;
                        case 2:
                            Assert.Equal(model.Remove((ns, id)), c.Delete(ToId(id), ns));
                            break;
                        default:
                            if (model.ContainsKey((ns, id)))
                            {
                                version++;
                                Assert.True(c.UpdatePayload(ToId(id), new JsonObject { ["v"] = version }, ns));
                                model[(ns, id)] = version;
                            }
                            break;
                    }
                }
                if (random.Next(25) == 0)
                {
                    c.Compact();
                }
            }
            while (cursor is not null);
            Assert.True(pages > 10, $"only {pages} pages");
        }
    }

    [Fact]
    public void A_scroll_running_beside_a_writer_lists_every_untouched_record_once_in_order_and_never_one_deleted_before_it_began()
    {
        // Even ids are written once and never touched: every page boundary must keep them, once each, in order. Ids
        // 4k+1 are deleted before the scroll starts and never written again. Ids 4k+3 are the writer's: upserted,
        // updated and deleted while the pages are read.
        using var temp = new TempDatabase();
        using Database db = temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        const int N = 4000;
        c.UpsertMany(Enumerable.Range(0, N).Select(i => new Record(i, new float[] { i, 1 })));
        for (int i = 1; i < N; i += 4)
        {
            Assert.True(c.Delete(i));
        }

        long writes = 0;
        using var stop = new CancellationTokenSource();
        Exception? writerError = null;
        bool writerDone = false;
        var writer = new Thread(() =>
        {
            try
            {
                var random = new Random(7);
                while (!stop.IsCancellationRequested)
                {
                    int id = (random.Next(N / 4) * 4) + 3;
                    if (random.Next(3) == 0)
                    {
                        c.Delete(id);
                    }
                    else
                    {
                        c.Upsert(new Record(id, new float[] { id, 2 }, new JsonObject { ["w"] = 1 }));
                    }
                    Interlocked.Increment(ref writes);
                }
            }
            catch (Exception ex)
            {
                writerError = ex;
            }
            finally
            {
                Volatile.Write(ref writerDone, true);
            }
        });
        writer.Start();

        var seen = new List<ulong>();
        int pagesWithWritesBefore = 0;
        try
        {
            string? cursor = null;
            do
            {
                // Wait for the writer to land at least one write between these two pages: the overlap is proven, not hoped for.
                long before = Interlocked.Read(ref writes);
                SpinWait.SpinUntil(() => Interlocked.Read(ref writes) > before || Volatile.Read(ref writerDone), TimeSpan.FromSeconds(30));
                Assert.Null(writerError);
                if (Interlocked.Read(ref writes) > before)
                {
                    pagesWithWritesBefore++;
                }
                ScrollPage page = c.Scroll(new ScrollOptions { Limit = 37, Cursor = cursor });
                seen.AddRange(page.Records.Select(r => r.Id.AsNumber));
                cursor = page.NextCursor;
            }
            while (cursor is not null);
        }
        finally
        {
            stop.Cancel();
            writer.Join();
        }

        Assert.True(pagesWithWritesBefore >= 50, $"writes landed before only {pagesWithWritesBefore} pages");
        for (int i = 1; i < seen.Count; i++)
        {
            Assert.True(seen[i] > seen[i - 1], $"ids out of order at {i}: {seen[i - 1]} then {seen[i]}");
        }
        Assert.DoesNotContain(seen, id => id % 4 == 1);
        Assert.Equal(Enumerable.Range(0, N / 2).Select(i => (ulong)(2 * i)), seen.Where(id => id % 2 == 0));
    }
}
