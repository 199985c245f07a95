using System.Diagnostics;
using VectLite.Storage;
using VectLite.Tests.Storage;

namespace VectLite.Tests.Engine;

/// <summary>
/// The asynchronous API: <see cref="Database.OpenAsync"/>, <see cref="Collection.UpsertManyAsync"/>,
/// <see cref="Collection.SearchAsync"/>, <see cref="Collection.ScrollAllAsync"/>, the flushes and compactions. Each
/// does what its synchronous twin does; a token cancelled before the start changes nothing; a cancelled open leaves
/// no engine and no lock behind.
/// </summary>
public sealed class AsyncTests : IDisposable
{
    private static readonly CollectionSchema Schema = CollectionSchema.SingleVector(4, Metric.L2);

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    private static CancellationToken Cancelled() => new(canceled: true);

    /// <summary>
    /// A database whose collections "alpha" (loaded first) and "docs" have <paramref name="batches"/> batches in their
    /// logs and no checkpoint, and "other" is empty.
    /// </summary>
    private void CreateLogged(int batches)
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled });
        foreach (string name in new[] { "alpha", "docs" })
        {
            Collection collection = db.CreateCollection(name, Schema);
            for (int i = 0; i < batches; i++)
            {
                collection.Upsert(new Record((ulong)i, new float[] { i, 0, 0, 1 }));
            }
        }
        db.CreateCollection("other", CollectionSchema.MetadataOnly());
    }

    /// <summary>Every file of the database, with its bytes.</summary>
    private Dictionary<string, byte[]> Files() =>
        Directory.GetFiles(_temp.Path, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != LockFile.FileName)
            .ToDictionary(f => Path.GetRelativePath(_temp.Path, f), File.ReadAllBytes);

    [Fact]
    public async Task OpenAsync_opens_and_loads_every_collection()
    {
        CreateLogged(20);
        using Database db = await Database.OpenAsync(_temp.Path);
        Assert.Equal(["alpha", "docs", "other"], db.Engine.OpenCollections().Select(c => c.Name).Order(StringComparer.Ordinal));
        Assert.Equal(20, db.GetCollection("docs").Count());
        using Database second = await Database.OpenAsync(_temp.Path); // joins the open engine
        Assert.Same(db.Engine, second.Engine);
    }

    [Fact]
    public async Task DisposeAsync_of_the_last_handle_closes_the_database()
    {
        DatabaseEngine engine;
        await using (Database db = await Database.OpenAsync(_temp.Path))
        {
            engine = db.Engine;
            db.CreateCollection("docs", Schema).Upsert(new Record(1, new float[] { 1, 1, 1, 1 }));
        }
        Assert.True(engine.IsClosed);
        using Database other = _temp.Open(new DatabaseOptions { Unshared = true }); // the lock was released
        Assert.Equal(1, other.GetCollection("docs").Count());
    }

    [Fact]
    public async Task A_cancelled_OpenAsync_creates_nothing_and_holds_nothing()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Database.OpenAsync(_temp.Path, cancellationToken: Cancelled()));
        Assert.False(Directory.Exists(_temp.Path));
        Assert.Equal((null, null), EngineRegistry.EnginesForTests(_temp.Path));
    }

    [Fact]
    public async Task An_OpenAsync_cancelled_during_log_replay_releases_the_lock_and_changes_no_file()
    {
        CreateLogged(300);
        string directory = Path.GetFullPath(_temp.CollectionDirectory("docs"));
        Dictionary<string, byte[]> files = Files();
        using var cancel = new CancellationTokenSource();
        long replayedWhenCancelled = 0, replayedAfter = 0;
        CollectionEngine.ReplayingForTests = (dir, lsn) =>
        {
            if (dir != directory)
            {
                return; // other tests' opens
            }
            if (lsn == 100)
            {
                replayedWhenCancelled = lsn;
                cancel.Cancel();
            }
            else if (lsn > 100)
            {
                replayedAfter++;
            }
        };
        try
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                Database.OpenAsync(_temp.Path, new DatabaseOptions { AutoCheckpoint = new AutoCheckpointOptions { CloseLogBytes = 0 } }, cancel.Token));
        }
        finally
        {
            CollectionEngine.ReplayingForTests = null;
        }
        Assert.Equal(100, replayedWhenCancelled); // it was mid-replay
        Assert.Equal(0, replayedAfter); // and stopped at the next batch

        Assert.Equal((null, null), EngineRegistry.EnginesForTests(_temp.Path));
        using (Process holder = WorkerProcess.Start("hold", _temp.Path)) // another process can take the lock
        {
            try
            {
                Assert.Equal("locked", holder.StandardOutput.ReadLine());
            }
            finally
            {
                holder.StandardInput.Close();
                holder.WaitForExit();
            }
        }
        // "alpha" was loaded before the cancellation, and CloseLogBytes 0 would checkpoint it at a close: a cancelled
        // open runs no close checkpoint, so every file is as it was.
        Assert.Equal(files, Files());
        using Database db = _temp.Open();
        Assert.Equal(300, db.GetCollection("docs").Count());
        Assert.Equal(300, db.GetCollection("alpha").Count());
    }

    [Fact]
    public async Task Async_writes_and_reads_do_what_their_synchronous_twins_do()
    {
        using Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", Schema);
        Assert.Equal(3, await docs.UpsertManyAsync(TestData.Records(3, 4)));
        Assert.Equal(3, docs.Count());
        float[] query = TestData.Records(3, 4)[1].Vector!.Value.ToArray();
        IReadOnlyList<SearchHit> hits = await docs.SearchAsync(query, new SearchOptions { TopK = 1 });
        Assert.Equal(1UL, hits.Single().Id.AsNumber);

        db.SyncMode = SyncMode.OnFlush; // the inline path
        Assert.Equal(2, await docs.UpsertManyAsync([new Record(10, new float[] { 1, 1, 1, 1 }), new Record(11, new float[] { 2, 2, 2, 2 })]));
        await docs.FlushAsync();
        await db.FlushAsync();
        await docs.CompactAsync();
        Assert.Equal(1, docs.GetStats().CheckpointGeneration);
        await db.CompactAsync();
        Assert.Equal(2, docs.GetStats().CheckpointGeneration);
        Assert.Equal(5, docs.Count());

        var ex = await Assert.ThrowsAsync<DimensionMismatchException>(() => docs.SearchAsync(new float[3])); // in the task, typed
        Assert.Contains("3", ex.Message);
    }

    [Fact]
    public async Task Async_calls_with_a_token_cancelled_before_the_start_change_nothing()
    {
        using Database db = _temp.Open(new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled });
        Collection docs = db.CreateCollection("docs", Schema);
        docs.UpsertMany(TestData.Records(10, 4));
        docs.Delete(3);
        CollectionStats before = docs.GetStats();

        foreach (SyncMode mode in new[] { SyncMode.PerOp, SyncMode.OnFlush })
        {
            db.SyncMode = mode;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => docs.UpsertManyAsync([new Record(100, new float[] { 1, 1, 1, 1 })], Cancelled()));
        }
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => docs.CompactAsync(Cancelled()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.CompactAsync(Cancelled()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => docs.FlushAsync(Cancelled()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.FlushAsync(Cancelled()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => docs.SearchAsync(new float[] { 1, 1, 1, 1 }, cancellationToken: Cancelled()));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Record _ in docs.ScrollAllAsync(cancellationToken: Cancelled()))
            {
            }
        });

        CollectionStats after = docs.GetStats();
        Assert.Equal((0L, 2L, 9L, 10, before.WalBytes), (after.CheckpointGeneration, after.WalBatchesSinceCheckpoint, after.RecordCount, after.StoredRows, after.WalBytes));
        Assert.Null(docs.Get(100));
    }

    [Fact]
    public async Task UpsertManyAsync_cancelled_while_validating_writes_nothing()
    {
        using Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", Schema);
        using var cancel = new CancellationTokenSource();
        int yielded = 0;
        IEnumerable<Record> Records()
        {
            for (int i = 0; i < 5000; i++)
            {
                if (++yielded == 1500)
                {
                    cancel.Cancel(); // mid-way through validation
                }
                yield return new Record((ulong)i, new float[] { i, 0, 0, 1 });
            }
        }

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => docs.UpsertManyAsync(Records(), cancel.Token));
        Assert.InRange(yielded, 1500, 2049); // it stopped at the next check (every 1,024 records), not at the end
        Assert.Equal(0, docs.Count());
        Assert.Equal(0, docs.GetStats().WalBatchesSinceCheckpoint);
    }

    [Fact]
    public async Task ScrollAllAsync_pages_through_everything_and_keeps_every_option()
    {
        using Database db = _temp.Open();
        Collection docs = db.CreateCollection("docs", Schema);
        docs.UpsertMany(Enumerable.Range(0, 250).Select(i => new Record((ulong)i, new float[] { i, 0, 0, 1 }, new() { ["even"] = i % 2 == 0 })));
        docs.UpsertMany(Enumerable.Range(0, 10).Select(i => new Record((ulong)i, new float[] { i, 0, 0, 1 }, new() { ["even"] = true }) { Namespace = "t" }));

        var all = new List<Record>();
        await foreach (Record record in docs.ScrollAllAsync(new ScrollOptions { Limit = 7, AllNamespaces = true }))
        {
            all.Add(record);
        }
        Assert.Equal(260, all.Count); // every page kept AllNamespaces (a cursor continues only a scroll of its own scope)
        Assert.Equal(10, all.Count(r => r.Namespace == "t"));
        int inDefault = 0;
        await foreach (Record _ in docs.ScrollAllAsync(new ScrollOptions { Limit = 7 }))
        {
            inDefault++;
        }
        Assert.Equal(250, inDefault);

        var even = new List<Record>();
        var options = new ScrollOptions { Limit = 10, Namespace = "", Filter = Filter.Eq("even", true), IncludePayload = false, IncludeVectors = true };
        await foreach (Record record in docs.ScrollAllAsync(options))
        {
            even.Add(record);
        }
        // Every page kept the namespace, the filter and the projection, not only the first.
        Assert.Equal(Enumerable.Range(0, 125).Select(i => (ulong)(2 * i)), even.Select(r => r.Id.AsNumber));
        Assert.All(even, r => Assert.Null(r.Payload));
        Assert.All(even, r => Assert.Equal(4, r.Vector!.Value.Length));
        Assert.All(even, r => Assert.Equal("", r.Namespace));
        Assert.Null(options.Cursor); // the caller's options are not changed

        using var cancel = new CancellationTokenSource();
        int read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (Record _ in docs.ScrollAllAsync(new ScrollOptions { Limit = 50 }, cancel.Token))
            {
                if (++read == 60)
                {
                    cancel.Cancel();
                }
            }
        });
        Assert.Equal(100, read); // the page being read is finished; the next one is not started
    }

    [Fact]
    public async Task FlushAsync_fsyncs_the_log()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { ForwardSyncs = false };
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, Storage = device });
        Collection docs = db.CreateCollection("docs", Schema);
        await docs.UpsertManyAsync(TestData.Records(5, 4));
        int before = device.FileSyncs("wal.vlwal");
        await docs.FlushAsync();
        Assert.Equal(before + 1, device.FileSyncs("wal.vlwal"));
        await docs.UpsertManyAsync([new Record(9, new float[] { 1, 1, 1, 1 })]);
        Assert.Equal(before + 1, device.FileSyncs("wal.vlwal")); // OnFlush: the write did not sync
        await db.FlushAsync();
        Assert.Equal(before + 2, device.FileSyncs("wal.vlwal"));
    }
}
