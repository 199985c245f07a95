using System.Collections.Concurrent;
using VectLite.Records;

namespace VectLite.Tests.Records;

/// <summary>
/// The key map that stores only row numbers (<see cref="RowKeyTable"/>): against a plain <see cref="Dictionary{TKey, TValue}"/>
/// model through many growths, and with readers looking keys up while the writer inserts and grows it.
/// </summary>
public sealed class RowKeyTableTests
{
    /// <summary>Rows as the state writes them: the row complete before its key is set.</summary>
    private sealed class Rows
    {
        public ChunkedList<RowMeta> List { get; } = new();

        public SparseColumn<int> Namespaces { get; } = new(0);

        public int Count { get; private set; }

        public int Append(RecordKey key)
        {
            List.EnsureCapacity(Count + 1);
            Namespaces.EnsureCapacity(Count + 1);
            Namespaces.Set(Count, key.NamespaceId);
            List[Count] = new RowMeta { Id = key.Id };
            return Count++;
        }
    }

    /// <summary>Numeric and string ids, where the number 7 and the string "7" are different keys.</summary>
    private static RecordId RandomId(Random random) => random.Next(3) switch
    {
        0 => (ulong)random.Next(4000),
        1 => random.Next(4000).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"doc-{random.Next(4000)}",
    };

    [Fact]
    public void Lookups_match_a_dictionary_over_random_inserts_and_replacements_in_several_namespaces_across_growth()
    {
        var random = new Random(11);
        var rows = new Rows();
        var table = new RowKeyTable(rows.List, rows.Namespaces);
        var model = new Dictionary<RecordKey, int>();
        int growthsSeen = 0;
        for (int step = 0; step < 30_000; step++)
        {
            var key = new RecordKey(random.Next(4), RandomId(random));
            int row = rows.Append(key); // an upsert or update of a key seen before replaces its row
            table.Set(key, row);
            model[key] = row;
            if (table.Growths != growthsSeen || step % 2500 == 0)
            {
                growthsSeen = table.Growths;
                foreach ((RecordKey k, int expected) in model)
                {
                    Assert.Equal(expected, table.Find(k));
                }
            }
        }
        Assert.Equal(model.Count, table.Count);
        Assert.True(table.Growths >= 10, $"only {table.Growths} growths: the test did not cross enough of them");
        Assert.True(rows.Count > model.Count * 1.2, "too few replacements");
        foreach ((RecordKey k, int expected) in model)
        {
            Assert.Equal(expected, table.Find(k));
        }

        // Keys never set: other ids, namespaces never used, the string twin of a number and back.
        for (int i = 0; i < 2000; i++)
        {
            RecordKey missing = (i % 4) switch
            {
                0 => new RecordKey(random.Next(4), (ulong)(10_000 + random.Next(100_000))),
                1 => new RecordKey(random.Next(4), $"absent-{i}"),
                2 => new RecordKey(4 + random.Next(3), RandomId(random)),
                _ => new RecordKey(-1, RandomId(random)), // what a reader asks for a namespace that does not exist
            };
            Assert.False(model.ContainsKey(missing));
            Assert.Equal(-1, table.Find(missing));
        }
    }

    [Fact]
    public void A_number_and_its_string_and_one_id_in_two_namespaces_are_four_keys()
    {
        var rows = new Rows();
        var table = new RowKeyTable(rows.List, rows.Namespaces);
        RecordKey[] keys = [new(0, 7UL), new(0, "7"), new(1, 7UL), new(1, "7")];
        foreach (RecordKey key in keys)
        {
            table.Set(key, rows.Append(key));
        }
        Assert.Equal([0, 1, 2, 3], keys.Select(table.Find));
        Assert.Equal(4, table.Count);
        Assert.Equal(16 * sizeof(int), table.MemoryBytes); // the smallest table
    }

    [Fact]
    public void Reserve_builds_the_final_table_at_once_and_only_when_it_must_grow()
    {
        // A load that knows its key count reserves once: 100,000 keys need 262,144 slots (131,072 x 3/4 = 98,304 is too
        // few), built in one growth, and setting the keys then grows nothing. Reserving what already fits (12 keys in the
        // 16-slot table, or fewer than the table holds) builds nothing.
        var rows = new Rows();
        var table = new RowKeyTable(rows.List, rows.Namespaces);
        table.Reserve(12);
        Assert.Equal(0, table.Growths);
        Assert.Equal(16 * 4, table.MemoryBytes);
        table.Reserve(100_000);
        Assert.Equal(1, table.Growths);
        Assert.Equal(262_144 * 4, table.MemoryBytes);
        table.Reserve(100_000);
        table.Reserve(50);
        Assert.Equal(1, table.Growths);
        for (ulong id = 0; id < 100_000; id++)
        {
            table.Set(new RecordKey(0, id), rows.Append(new RecordKey(0, id)));
        }
        Assert.Equal(1, table.Growths);
        Assert.Equal(262_144 * 4, table.MemoryBytes);
        Assert.Equal(99_999, table.Find(new RecordKey(0, 99_999UL)));
    }

    [Fact]
    public void Memory_is_four_bytes_a_slot_and_the_table_stays_at_most_three_quarters_full()
    {
        var rows = new Rows();
        var table = new RowKeyTable(rows.List, rows.Namespaces);
        for (ulong id = 0; id < 12; id++)
        {
            table.Set(new RecordKey(0, id), rows.Append(new RecordKey(0, id)));
        }
        Assert.Equal(16 * 4, table.MemoryBytes); // 12 of 16: exactly 3/4
        table.Set(new RecordKey(0, 12UL), rows.Append(new RecordKey(0, 12UL)));
        Assert.Equal(32 * 4, table.MemoryBytes);
        for (ulong id = 13; id < 100_000; id++)
        {
            table.Set(new RecordKey(0, id), rows.Append(new RecordKey(0, id)));
        }
        Assert.Equal(262_144 * 4, table.MemoryBytes); // 100,000 keys need more than 131,072 x 3/4 = 98,304 slots
    }

    [Fact]
    public void Readers_find_every_published_key_and_its_newest_row_while_the_writer_inserts_and_grows()
    {
        const int KeyCount = 200_000;
        const int ReaderCount = 2;
        var random = new Random(5);
        var keys = new RecordKey[KeyCount];
        for (int i = 0; i < KeyCount; i++)
        {
            keys[i] = new RecordKey(i % 3, i % 2 == 0 ? (RecordId)(ulong)i : (RecordId)$"key-{i}");
        }
        var rows = new Rows();
        var table = new RowKeyTable(rows.List, rows.Namespaces);
        var latest = new int[KeyCount]; // each key's newest row, written after the table's set
        int published = 0;
        bool done = false;
        bool insideGrowth = false;
        int lookups = 0;
        int duringGrowth = 0; // lookups that started and ended while the writer was inside a growth
        var failures = new ConcurrentQueue<string>();

        // Inside every third growth, the writer waits until each reader has looked keys up from there (or 30 s passed,
        // a guard against a hang only): lookups provably run on the old table while the new one is being built.
        int growthIndex = 0;
        table.GrowingForTests = () =>
        {
            if (++growthIndex % 3 != 0)
            {
                return;
            }
            int target = Volatile.Read(ref duringGrowth) + (ReaderCount * 50);
            Volatile.Write(ref insideGrowth, true);
            SpinWait.SpinUntil(() => Volatile.Read(ref duringGrowth) >= target || !failures.IsEmpty, TimeSpan.FromSeconds(30));
            Volatile.Write(ref insideGrowth, false);
        };

        var readers = new Thread[ReaderCount];
        for (int t = 0; t < ReaderCount; t++)
        {
            int seed = t;
            readers[t] = new Thread(() =>
            {
                var local = new Random(100 + seed);
                try
                {
                    while (!Volatile.Read(ref done) && failures.IsEmpty)
                    {
                        int count = Volatile.Read(ref published);
                        if (count == 0)
                        {
                            continue;
                        }
                        int i = local.Next(count);
                        int atLeast = Volatile.Read(ref latest[i]);
                        bool insideBefore = Volatile.Read(ref insideGrowth);
                        int growthsBefore = table.Growths;
                        int row = table.Find(keys[i]);
                        bool insideAfter = Volatile.Read(ref insideGrowth);
                        int growthsAfter = table.Growths;
                        if (row < atLeast)
                        {
                            failures.Enqueue($"key {i} ({keys[i]}): found row {row}, but row {atLeast} was set before the lookup");
                            return;
                        }
                        ref readonly RowMeta meta = ref rows.List[row];
                        if (rows.Namespaces[row] != keys[i].NamespaceId || !meta.Id.Equals(keys[i].Id))
                        {
                            failures.Enqueue($"key {i} ({keys[i]}): found row {row}, which holds ({rows.Namespaces[row]}, {meta.Id})");
                            return;
                        }
                        Interlocked.Increment(ref lookups);
                        if (insideBefore && insideAfter && growthsBefore == growthsAfter)
                        {
                            Interlocked.Increment(ref duringGrowth);
                        }
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue("reader: " + ex);
                }
            });
            readers[t].Start();
        }

        try
        {
            for (int i = 0; i < KeyCount && failures.IsEmpty; i++)
            {
                int row = rows.Append(keys[i]);
                table.Set(keys[i], row);
                Volatile.Write(ref latest[i], row);
                Volatile.Write(ref published, i + 1);
                if (i % 7 == 6)
                {
                    // Replace an earlier key's row (an update): readers must never get its older row again.
                    int earlier = random.Next(i);
                    int newer = rows.Append(keys[earlier]);
                    table.Set(keys[earlier], newer);
                    Volatile.Write(ref latest[earlier], newer);
                }
            }
        }
        finally
        {
            Volatile.Write(ref done, true);
            foreach (Thread reader in readers)
            {
                reader.Join();
            }
        }

        Assert.Empty(failures);
        Assert.True(table.Growths >= 10, $"{table.Growths} growths");
        Assert.True(duringGrowth > 0, $"no lookup ran inside a growth ({lookups} lookups)");
        Assert.True(lookups > 1000, $"only {lookups} lookups");
        for (int i = 0; i < KeyCount; i++)
        {
            Assert.Equal(latest[i], table.Find(keys[i]));
        }
    }
}
