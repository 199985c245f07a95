using System.Collections.Concurrent;
using System.Diagnostics;

namespace VectLite.Tests.Engine;

/// <summary>
/// One open engine per database directory per process: every <see cref="Database.Open"/> of a path shares it, each
/// handle is disposed on its own, and the last dispose closes it (docs/concurrency.md, "Several handles in one process").
/// </summary>
public sealed class SharedEngineTests : IDisposable
{
    private static readonly CollectionSchema Schema = CollectionSchema.SingleVector(2, Metric.L2);

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Record Point(ulong id) => new(id, new float[] { id, 1 });

    [Fact]
    public void Two_opens_in_one_process_share_the_data_and_both_write()
    {
        using Database first = _temp.Open();
        using Database second = _temp.Open(); // used to be DatabaseLockedException: "locked by another writer"
        Assert.Same(first.Engine, second.Engine);
        Assert.NotSame(first, second);

        Collection a = first.CreateCollection("docs", Schema);
        Collection b = second.GetCollection("docs");
        Assert.NotSame(a, b); // one handle per database handle...
        Assert.Same(b, second.GetCollection("docs")); // ...and the same one on every lookup through it
        Assert.Same(second, b.Database);

        a.Upsert(Point(1));
        Assert.Equal(1f, b.Get(1)!.Vector!.Value.Span[0]); // visible at once: one state, not two copies
        b.Upsert(Point(2));
        Assert.Equal(2, a.Count());
        Assert.Equal([1UL, 2], a.Search(new float[] { 0, 1 }, new SearchOptions { TopK = 5 }).Select(h => h.Id.AsNumber));
        second.CreateCollection("other", CollectionSchema.MetadataOnly());
        Assert.Equal(["docs", "other"], first.ListCollections());
        Assert.False(first.IsReadOnly);
        Assert.False(second.IsReadOnly);
    }

    [Fact]
    public void Disposing_one_handle_leaves_the_others_working_and_its_collections_disposed()
    {
        Database first = _temp.Open();
        using Database second = _temp.Open();
        Collection viaFirst = first.CreateCollection("docs", Schema);
        viaFirst.Upsert(Point(1));
        Collection viaSecond = second.GetCollection("docs");

        first.Dispose();
        first.Dispose(); // idempotent: must not release the engine twice

        Assert.Throws<ObjectDisposedException>(() => viaFirst.Count());
        Assert.Throws<ObjectDisposedException>(() => viaFirst.Get(1));
        Assert.Throws<ObjectDisposedException>(() => viaFirst.Upsert(Point(9)));
        Assert.Throws<ObjectDisposedException>(() => viaFirst.Search(new float[] { 0, 1 }));
        Assert.Throws<ObjectDisposedException>(() => first.ListCollections());
        Assert.Throws<ObjectDisposedException>(() => first.GetCollection("docs"));
        Assert.Throws<ObjectDisposedException>(() => first.SyncMode);

        Assert.False(second.Engine.IsClosed);
        Assert.Equal(1, second.Engine.References);
        viaSecond.Upsert(Point(2));
        Assert.Equal(2, viaSecond.Count());
        Assert.Equal(2, second.GetCollection("docs").Search(new float[] { 0, 1 }, new SearchOptions { TopK = 5 }).Count);
    }

    [Fact]
    public void The_last_dispose_runs_the_close_checkpoint_and_releases_the_lock_for_another_process()
    {
        var options = new DatabaseOptions { AutoCheckpoint = new AutoCheckpointOptions { CloseLogBytes = 0 } };
        Database first = _temp.Open(options);
        Database second = _temp.Open(options);
        first.CreateCollection("docs", Schema).UpsertMany([Point(1), Point(2), Point(3)]);
        DatabaseEngine engine = first.Engine;

        first.Dispose();
        Assert.False(engine.IsClosed);
        Assert.Equal(0, second.GetCollection("docs").GetStats().CheckpointsWritten); // not the last handle: no close

        second.Dispose();
        Assert.True(engine.IsClosed);
        Assert.Equal((null, null), EngineRegistry.EnginesForTests(_temp.Path));

        // Another process can take the lock now.
        using Process holder = WorkerProcess.Start("hold", _temp.Path);
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
        }
        finally
        {
            holder.StandardInput.Close();
            holder.WaitForExit();
        }
        using Database reopened = _temp.Open();
        Assert.NotSame(engine, reopened.Engine);
        CollectionStats stats = reopened.GetCollection("docs").GetStats();
        Assert.Equal(1, stats.CheckpointGeneration); // the close checkpoint ran once, at the last dispose
        Assert.Equal(0, stats.WalBatchesSinceCheckpoint);
        Assert.Equal(3, stats.RecordCount);
    }

    [Fact]
    public void Recover_needs_the_lock_to_itself_and_says_this_process_holds_it()
    {
        using (Database db = _temp.Open())
        {
            db.CreateCollection("docs", Schema).Upsert(Point(1));
            var ex = Assert.Throws<DatabaseLockedException>(() => Database.Recover(_temp.Path));
            Assert.Equal(VectLiteErrorCode.DatabaseLocked, ex.Code);
            Assert.Contains("in this process", ex.Message);
            Assert.DoesNotContain("another process", ex.Message);
            Assert.Equal(1, db.GetCollection("docs").Count()); // the shared engine is untouched
        }
        Assert.False(Database.Recover(_temp.Path).AnyRepaired); // once every handle is gone
    }

    [Fact]
    public void A_read_only_handle_on_a_writer_engine_sees_live_data_and_refuses_every_write()
    {
        using Database writer = _temp.Open();
        Collection w = writer.CreateCollection("docs", Schema);
        using Database view = _temp.Open(new DatabaseOptions { ReadOnly = true });
        Assert.Same(writer.Engine, view.Engine);
        Assert.True(view.IsReadOnly);

        Collection r = view.GetCollection("docs");
        w.Upsert(Point(1));
        Assert.NotNull(r.Get(1)); // live, not a snapshot of the open

        Assert.Throws<ReadOnlyDatabaseException>(() => r.Upsert(Point(2)));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.UpsertMany([Point(2)]));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.UpsertBulk([Point(2)]));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.Delete(1));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.DeleteMany([1]));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.DeleteByFilter(Filter.Exists("x")));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.DeleteByFilterInAllNamespaces(Filter.Exists("x")));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.UpdateOptions(r.Schema.Hnsw with { EfSearch = 99 }));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.UpdatePayload(1, new() { ["x"] = 1 }));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.SetTimeToLive(1, TimeSpan.FromHours(1)));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.SetExpiry(1, DateTimeOffset.UtcNow.AddHours(1)));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.ClearExpiry(1));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.CreatePayloadIndex("x", PayloadIndexKind.Keyword));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.DropPayloadIndex("x"));
        Assert.Throws<ReadOnlyDatabaseException>(() => r.Compact());
        Assert.Throws<ReadOnlyDatabaseException>(() => view.CreateCollection("other", Schema));
        Assert.Throws<ReadOnlyDatabaseException>(() => view.GetOrCreateCollection("other", Schema));
        Assert.Throws<ReadOnlyDatabaseException>(() => view.DropCollection("docs"));
        Assert.Throws<ReadOnlyDatabaseException>(() => view.Compact());
        Assert.Throws<ReadOnlyDatabaseException>(() => view.SyncMode = SyncMode.OnFlush);

        Assert.Same(r, view.GetOrCreateCollection("docs", Schema)); // an existing collection is only read
        Assert.Equal(["docs"], writer.ListCollections());
        Assert.Equal(1, w.Count()); // nothing reached the shared collection
        Assert.Null(w.Get(2));
        Assert.Equal(SyncMode.PerOp, writer.SyncMode);
        Assert.NotEqual(99, w.Schema.Hnsw.EfSearch);
    }

    [Fact]
    public void A_writer_open_beside_read_only_handles_is_a_real_writer_and_later_read_only_opens_join_it()
    {
        using (Database setup = _temp.Open())
        {
            setup.CreateCollection("docs", Schema).Upsert(Point(1));
        }
        using Database reader = _temp.Open(new DatabaseOptions { ReadOnly = true });
        Collection old = reader.GetCollection("docs");
        Assert.True(reader.Engine.IsReadOnly);

        using Database writer = _temp.Open();
        Assert.NotSame(reader.Engine, writer.Engine);
        Assert.False(writer.Engine.IsReadOnly);
        writer.GetCollection("docs").Upsert(Point(2)); // it holds the lock and writes

        Assert.Equal(1, old.Count()); // the older read-only engine keeps what it read
        using Database later = _temp.Open(new DatabaseOptions { ReadOnly = true });
        Assert.Same(writer.Engine, later.Engine);
        Assert.Equal(2, later.GetCollection("docs").Count());
    }

    [Fact]
    public void Read_only_opens_share_an_engine_until_another_process_writes_then_the_next_one_reads_afresh()
    {
        using (Database setup = _temp.Open())
        {
            setup.CreateCollection("docs", Schema).Upsert(Point(1));
        }
        var readOnly = new DatabaseOptions { ReadOnly = true };
        using Database first = _temp.Open(readOnly);
        Assert.Equal(1, first.GetCollection("docs").Count());
        using Database second = _temp.Open(readOnly);
        Assert.Same(first.Engine, second.Engine); // nothing changed on disk: shared

        using (Database otherProcess = _temp.Open(new DatabaseOptions { Unshared = true }))
        {
            otherProcess.GetCollection("docs").Upsert(Point(2));
        }

        using Database third = _temp.Open(readOnly);
        Assert.NotSame(first.Engine, third.Engine); // the shared one is stale: a fresh read
        Assert.Equal(2, third.GetCollection("docs").Count());
        Assert.Equal(1, second.GetCollection("docs").Count()); // the older handles keep their state
        using Database fourth = _temp.Open(readOnly);
        Assert.Same(third.Engine, fourth.Engine); // and new opens share the fresh one
    }

    [Fact]
    public void Spellings_of_one_directory_share_one_engine()
    {
        using Database db = _temp.Open();
        string parent = Path.GetDirectoryName(_temp.Path)!;
        string name = Path.GetFileName(_temp.Path);
        using Database trailing = Database.Open(_temp.Path + Path.DirectorySeparatorChar);
        using Database dotted = Database.Open(Path.Combine(parent, ".", "..", Path.GetFileName(parent), name));
        Assert.Same(db.Engine, trailing.Engine);
        Assert.Same(db.Engine, dotted.Engine);

        string link = _temp.Path + "-link";
        Directory.CreateSymbolicLink(link, _temp.Path);
        try
        {
            using Database viaLink = Database.Open(link);
            Assert.Same(db.Engine, viaLink.Engine);
            Assert.Equal(DatabasePathKey.Of(_temp.Path), DatabasePathKey.Of(Path.Combine(link, "collections", "..")));
        }
        finally
        {
            Directory.Delete(link);
        }
        if (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS())
        {
            Assert.NotEqual(DatabasePathKey.Of(_temp.Path), DatabasePathKey.Of(_temp.Path.ToUpperInvariant())); // case matters on Linux
        }
    }

    [Fact]
    public void The_first_open_s_options_apply_and_the_sync_mode_is_the_engine_s()
    {
        using Database first = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled });
        using Database second = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.EveryN(4) });
        Assert.Equal(SyncMode.OnFlush, second.SyncMode); // the later open's setting is ignored
        Assert.False(second.Engine.AutoCheckpoint.Enabled);
        second.SyncMode = SyncMode.PerOp;
        Assert.Equal(SyncMode.PerOp, first.SyncMode); // one setting, shared
    }

    [Fact]
    public void An_open_between_the_last_release_and_the_close_keeps_the_engine_open()
    {
        Database first = _temp.Open();
        first.CreateCollection("docs", Schema).Upsert(Point(1));
        DatabaseEngine engine = first.Engine;
        Database? joined = null;
        EngineRegistry.ReleasingForTests = releasing =>
        {
            if (releasing == engine && joined is null)
            {
                Assert.Equal(0, releasing.References); // the last reference is gone, the close has not started
                joined = _temp.Open();
            }
        };
        try
        {
            first.Dispose();
        }
        finally
        {
            EngineRegistry.ReleasingForTests = null;
        }
        Assert.NotNull(joined);
        using (joined)
        {
            Assert.Same(engine, joined.Engine); // it joined the engine instead of waiting for its close
            Assert.False(engine.IsClosed); // and the release that came first did not close it under the new handle
            joined.GetCollection("docs").Upsert(Point(2));
            Assert.Equal(2, joined.GetCollection("docs").Count());
        }
        Assert.True(engine.IsClosed);
    }

    [Fact]
    public async Task Concurrent_opens_and_disposes_share_close_and_reopen_without_a_leak_or_a_double_close()
    {
        var options = new DatabaseOptions { SyncMode = SyncMode.OnFlush };
        using (Database setup = _temp.Open(options))
        {
            setup.CreateCollection("docs", Schema);
        }
        const int Threads = 6, Rounds = 60;
        var engines = new ConcurrentDictionary<DatabaseEngine, int>();
        int live = 0, maxLive = 0, joined = 0;
        using var phase = new Barrier(Threads);
        Task[] workers = [.. Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                if (i % 10 == 0)
                {
                    // Every thread has disposed its handles: the engine is closed (or closing) and they all open again
                    // at once, racing each other on a fresh open. Between these points, opens race closes.
                    phase.SignalAndWait();
                }
                using Database db = _temp.Open(options);
                int now = Interlocked.Increment(ref live);
                InterlockedMax(ref maxLive, now);
                if (db.Engine.References > 1)
                {
                    Interlocked.Increment(ref joined);
                }
                engines.TryAdd(db.Engine, 0);
                // Work on the engine: a handle that joined an engine being closed would throw here.
                Collection docs = db.GetCollection("docs");
                docs.Upsert(Point((ulong)(t * Rounds + i)));
                Assert.NotNull(docs.Get((ulong)(t * Rounds + i)));
                Interlocked.Decrement(ref live);
            }
        }))];
        await Task.WhenAll(workers);

        // The overlap happened: handles were open together and joined a shared engine, and engines were closed by a
        // last handle and opened anew, while other threads opened and disposed.
        Assert.True(maxLive >= 2, $"at most {maxLive} handles were open at once");
        Assert.True(joined > 0, "no open joined an engine another thread had open");
        Assert.True(engines.Count >= Rounds / 10, $"only {engines.Count} engine(s) were opened: the last handle did not close them");

        foreach (DatabaseEngine engine in engines.Keys)
        {
            Assert.True(engine.IsClosed, "an engine was left open after its last handle");
            Assert.Equal(0, engine.References);
        }
        Assert.Equal((null, null), EngineRegistry.EnginesForTests(_temp.Path));
        using Database other = _temp.Open(new DatabaseOptions { Unshared = true }); // the lock was released
        Assert.Equal(Threads * Rounds, other.GetCollection("docs").Count()); // every write of every round
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }
            seen = previous;
        }
    }
}
