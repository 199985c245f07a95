using VectLite.Records;
using VectLite.Storage;

namespace VectLite.Tests.Records;

/// <summary>
/// The id-ordered index that scroll pages seek into: keys sorted per namespace, held once each, and few runs however
/// often it is extended (so a workload that writes between pages stays near-linear overall).
/// </summary>
public sealed class OrderedKeyIndexTests
{
    private static void Upsert(CollectionState state, RecordId id, string ns, long lsn)
    {
        state.Apply(WalOperation.Upsert(new StoredRecord(id, ns, 0, (byte[]?)null, [])), lsn);
        state.Publish(lsn);
    }

    [Fact]
    public void Extending_after_every_write_keeps_at_most_log2_n_plus_one_runs_and_every_key_once_in_order()
    {
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        try
        {
            var random = new Random(5);
            var expected = new SortedSet<ulong>();
            int maxRuns = 0;
            for (int i = 1; i <= 3000; i++)
            {
                ulong id = (ulong)random.Next(100_000);
                Upsert(state, id, "", i); // a replaced key starts no new entry
                expected.Add(id);
                OrderedKeyIndex.Coverage coverage = state.OrderedKeys.Cover(state, state.Published.RowCount);
                int runs = coverage.Runs(0).Length;
                maxRuns = Math.Max(maxRuns, runs);
                Assert.True(runs <= Math.Log2(expected.Count) + 1, $"{runs} runs for {expected.Count} keys");
            }
            Assert.True(maxRuns >= 5, $"at most {maxRuns} runs: the extension was never incremental");

            OrderedKeyIndex.Coverage final = state.OrderedKeys.Cover(state, state.Published.RowCount);
            var merge = new IdRunMerge(final.Runs(0), after: null);
            var listed = new List<ulong>();
            while (merge.TryNext(out RecordId id))
            {
                listed.Add(id.AsNumber);
            }
            Assert.Equal(expected, listed);
            Assert.Equal(expected.Count, final.Keys);
        }
        finally
        {
            state.Release();
        }
    }

    [Fact]
    public void One_key_per_extension_gives_runs_each_more_than_twice_the_next()
    {
        // A new run is merged into the last while that one is at most twice its size, so each run is more than twice
        // the next: one key at a time, the sizes go 1; 2; 3 (2 is not more than twice 1); 3,1; 5 (1,1 then 3,2); 5,1;
        // 5,2; 8 (2,1 then 5,3). Worked out by hand from the rule, not read from the index.
        int[][] expected = [[1], [2], [3], [3, 1], [5], [5, 1], [5, 2], [8]];
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        try
        {
            for (int i = 0; i < expected.Length; i++)
            {
                Upsert(state, (ulong)(100 - i), "", i + 1); // falling ids: a merge must put the newer run first
                OrderedKeyIndex.Coverage coverage = state.OrderedKeys.Cover(state, state.Published.RowCount);
                Assert.Equal(expected[i], coverage.Runs(0).Select(run => run.Length));
                Assert.Equal((i + 1) * 16L, state.OrderedKeys.MemoryBytes); // a record id is 16 bytes
                foreach (RecordId[] run in coverage.Runs(0))
                {
                    Assert.Equal(run.Select(id => id.AsNumber).Order(), run.Select(id => id.AsNumber));
                }
            }
        }
        finally
        {
            state.Release();
        }
    }

    [Fact]
    public void Keys_are_kept_per_namespace_and_a_seek_resumes_strictly_after_the_cursor()
    {
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        try
        {
            long lsn = 0;
            foreach (ulong id in new ulong[] { 9, 3, 7 })
            {
                Upsert(state, id, "a", ++lsn);
            }
            Upsert(state, "b-only", "b", ++lsn);
            OrderedKeyIndex.Coverage first = state.OrderedKeys.Cover(state, state.Published.RowCount);
            Upsert(state, "x", "a", ++lsn);
            Upsert(state, 5UL, "a", ++lsn);
            OrderedKeyIndex.Coverage coverage = state.OrderedKeys.Cover(state, state.Published.RowCount);
            Assert.Equal(4, first.Keys); // an old coverage is immutable
            int a = state.Namespaces.Find("a");

            static List<string> From(OrderedKeyIndex.Coverage c, int ns, RecordId? after)
            {
                var merge = new IdRunMerge(c.Runs(ns), after);
                var ids = new List<string>();
                while (merge.TryNext(out RecordId id))
                {
                    ids.Add(id.ToString());
                }
                return ids;
            }

            Assert.Equal(["3", "5", "7", "9", "x"], From(coverage, a, null));
            Assert.Equal(["7", "9", "x"], From(coverage, a, 5UL));
            Assert.Equal(["7", "9", "x"], From(coverage, a, 6UL));
            Assert.Equal(["x"], From(coverage, a, 9UL));
            Assert.Empty(From(coverage, a, "x"));
            Assert.Equal(["b-only"], From(coverage, state.Namespaces.Find("b"), null));
            Assert.Empty(From(coverage, 17, null)); // a namespace with no keys
        }
        finally
        {
            state.Release();
        }
    }
}
