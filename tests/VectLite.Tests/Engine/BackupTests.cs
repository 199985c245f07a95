using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

/// <summary>
/// <see cref="Database.Backup"/>: a copy taken while a writer keeps writing to two collections holds exactly the write
/// calls logged before one consistent point, in both collections alike, and opens as a normal database. The expected
/// contents come from the test's own model of the writer's call sequence, never from the engine.
/// </summary>
public sealed class BackupTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly string _target = Path.Combine(Path.GetTempPath(), "vectlite-tests", "backup-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _temp.Dispose();
        if (Directory.Exists(_target))
        {
            Directory.Delete(_target, recursive: true);
        }
    }

    private const int Seeded = 400;

    /// <summary>One write call of the writer's sequence: one batch in one collection.</summary>
    private sealed record Call(string Collection, string Kind, ulong Id, int Step);

    /// <summary>The writer's calls, in order: step k upserts id 1000+k in "a" and in "b", deletes a seeded id from "a"
    /// every third step and updates a seeded record's payload in "b" every fifth.</summary>
    private static IEnumerable<Call> Calls()
    {
        for (int k = 0; ; k++)
        {
            yield return new Call("a", "upsert", 1000 + (ulong)k, k);
            yield return new Call("b", "upsert", 1000 + (ulong)k, k);
            if (k % 3 == 0)
            {
                yield return new Call("a", "delete", (ulong)(k / 3 % Seeded), k);
            }
            if (k % 5 == 0)
            {
                yield return new Call("b", "update", (ulong)(k % Seeded), k);
            }
        }
    }

    /// <summary>The contents (id -> payload "v") of both collections after the seeding and the first <paramref name="calls"/> calls.</summary>
    private static Dictionary<string, SortedDictionary<ulong, int>> Model(long calls)
    {
        var model = new Dictionary<string, SortedDictionary<ulong, int>> { ["a"] = [], ["b"] = [] };
        foreach (string c in new[] { "a", "b" })
        {
            for (int i = 0; i < Seeded + 100; i++)
            {
                model[c][(ulong)i] = -1;
            }
        }
        foreach (Call call in Calls().Take((int)calls))
        {
            switch (call.Kind)
            {
                case "upsert":
                    model[call.Collection][call.Id] = call.Step;
                    break;
                case "delete":
                    model[call.Collection].Remove(call.Id);
                    break;
                default:
                    if (model[call.Collection].ContainsKey(call.Id))
                    {
                        model[call.Collection][call.Id] = call.Step;
                    }
                    break;
            }
        }
        return model;
    }

    private static void Seed(Database db)
    {
        foreach (string name in new[] { "a", "b" })
        {
            Collection c = db.CreateCollection(name, CollectionSchema.SingleVector(2, Metric.L2));
            c.UpsertMany(Enumerable.Range(0, Seeded).Select(i => new Record(i, new float[] { i, 1 }, new JsonObject { ["v"] = -1 })));
            c.Compact(); // checkpoint files to copy ...
            c.UpsertMany(Enumerable.Range(Seeded, 100).Select(i => new Record(i, new float[] { i, 1 }, new JsonObject { ["v"] = -1 }))); // ... and a log
        }
    }

    private static Dictionary<string, SortedDictionary<ulong, int>> Contents(Database db)
    {
        var contents = new Dictionary<string, SortedDictionary<ulong, int>>();
        foreach (string name in new[] { "a", "b" })
        {
            var records = new SortedDictionary<ulong, int>();
            foreach (Record r in db.GetCollection(name).Scroll(new ScrollOptions { Limit = 10_000 }).Records)
            {
                records[r.Id.AsNumber] = (int)r.Payload!["v"]!;
            }
            contents[name] = records;
        }
        return contents;
    }

    [Fact]
    public void A_backup_taken_while_a_writer_writes_holds_exactly_the_calls_logged_before_its_consistent_point_and_opens()
    {
        using Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush });
        Seed(db);
        Collection a = db.GetCollection("a"), b = db.GetCollection("b");

        long callsDone = 0;
        Exception? writerError = null;
        using var stop = new CancellationTokenSource();
        var writer = new Thread(() =>
        {
            try
            {
                using IEnumerator<Call> calls = Calls().GetEnumerator();
                while (!stop.IsCancellationRequested && calls.MoveNext())
                {
                    Call call = calls.Current;
                    Collection c = call.Collection == "a" ? a : b;
                    switch (call.Kind)
                    {
                        case "upsert":
                            c.Upsert(new Record(call.Id, new float[] { call.Id, 2 }, new JsonObject { ["v"] = call.Step }));
                            break;
                        case "delete":
                            c.Delete(call.Id);
                            break;
                        default:
                            c.UpdatePayload(call.Id, new JsonObject { ["v"] = call.Step });
                            break;
                    }
                    Interlocked.Increment(ref callsDone);
                }
            }
            catch (Exception ex)
            {
                writerError = ex;
            }
        });

        long doneAtPoint = -1;
        long doneAfterCopyPause = -1;
        Thread? compactor = null;
        bool compactedDuringCopy = true;
        db.Engine.BackupHooksForTests = new DatabaseBackup.Hooks
        {
            // The writer cannot log a call now (every writer lock is held): the cut is doneAtPoint calls, or one more
            // when the writer logged a call and has not counted it yet.
            AtConsistentPoint = () => doneAtPoint = Interlocked.Read(ref callsDone),
            BeforeCopy = name =>
            {
                // While the files are copied no checkpoint may start: it would delete the files being copied.
                Assert.True(a.Engine.CheckpointsHeldBackForTests && b.Engine.CheckpointsHeldBackForTests, "a checkpoint could start during the copy");
                if (name == "a")
                {
                    compactor = new Thread(() => b.Compact()); // asked for before anything is copied: it must wait for the backup
                    compactor.Start();
                    return;
                }
                // Mid-copy ("a" copied, "b" not yet): the writer must land 300 more calls before the copy goes on.
                long target = doneAtPoint + 300;
                Assert.True(SpinWait.SpinUntil(() => Interlocked.Read(ref callsDone) >= target || writerError is not null, TimeSpan.FromSeconds(60)), "the writer did not write during the copy");
                doneAfterCopyPause = Interlocked.Read(ref callsDone);
                compactedDuringCopy = !compactor!.IsAlive;
            },
        };

        writer.Start();
        SpinWait.SpinUntil(() => Interlocked.Read(ref callsDone) >= 200, TimeSpan.FromSeconds(60));
        BackupReport report;
        try
        {
            report = db.Backup(_target);
        }
        finally
        {
            db.Engine.BackupHooksForTests = null;
        }
        long doneAfterBackup = Interlocked.Read(ref callsDone);
        compactor?.Join();
        stop.Cancel();
        writer.Join();
        Assert.Null(writerError);

        Assert.True(doneAtPoint >= 200, $"the backup's point came after only {doneAtPoint} calls");
        Assert.True(doneAfterCopyPause >= doneAtPoint + 300, "writes did not land while the backup copied");
        Assert.False(compactedDuringCopy, "a checkpoint ran while the backup copied");
        Assert.Equal(["a", "b"], report.Collections.Select(c => c.Name));
        Assert.True(report.TotalBytes > 0);

        Assert.True(Database.Verify(_target).IsIntact);
        using Database copy = Database.Open(_target);
        Dictionary<string, SortedDictionary<ulong, int>> backedUp = Contents(copy);
        Dictionary<string, SortedDictionary<ulong, int>>[] candidates = [Model(doneAtPoint), Model(doneAtPoint + 1)];
        Assert.True(candidates.Any(m => m["a"].SequenceEqual(backedUp["a"]) && m["b"].SequenceEqual(backedUp["b"])),
            $"the backup holds a: {backedUp["a"].Count}, b: {backedUp["b"].Count} records, not the state after {doneAtPoint} or {doneAtPoint + 1} calls (a: {candidates[0]["a"].Count}, b: {candidates[0]["b"].Count}); {doneAfterBackup} calls were done when it returned");

        // The copy is a database of its own: writable, and unaffected by the source.
        copy.GetCollection("a").Upsert(new Record(999_999, new float[] { 1, 1 }));
        Assert.Null(db.GetCollection("a").Get(999_999));
    }

    [Fact]
    public void A_non_empty_target_is_refused_with_a_typed_error_and_left_untouched()
    {
        using Database db = _temp.Open();
        Seed(db);
        Directory.CreateDirectory(_target);
        File.WriteAllText(Path.Combine(_target, "keep.txt"), "mine");

        var ex = Assert.Throws<BackupTargetNotEmptyException>(() => db.Backup(_target));
        Assert.Equal(VectLiteErrorCode.BackupTargetNotEmpty, ex.Code);
        Assert.Equal(Path.GetFullPath(_target), ex.TargetDirectory);
        Assert.Equal(["keep.txt"], Directory.EnumerateFileSystemEntries(_target).Select(Path.GetFileName));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_target, "keep.txt")));

        Assert.Throws<BackupTargetNotEmptyException>(() => db.Backup(Path.Combine(_target, "keep.txt"))); // a file
        Assert.Throws<ArgumentException>(() => db.Backup(Path.Combine(_temp.Path, "inside")));
        Assert.Throws<ArgumentException>(() => db.Backup(_temp.Path));
        Assert.Throws<ArgumentException>(() => db.Backup(Path.Combine(_temp.Path, "..inside"))); // a name that starts with two dots
        Assert.False(Directory.Exists(Path.Combine(_temp.Path, "inside")));
    }

    [Fact]
    public void An_empty_existing_target_is_used_and_the_copy_opens_with_every_record()
    {
        using (Database db = _temp.Open())
        {
            Seed(db);
            Directory.CreateDirectory(_target);
            BackupReport report = db.Backup(_target);
            Assert.Equal(Path.GetFullPath(_target), report.TargetDirectory);
        }
        using Database copy = Database.Open(_target);
        Dictionary<string, SortedDictionary<ulong, int>> contents = Contents(copy);
        Assert.Equal(Model(0)["a"], contents["a"]);
        Assert.Equal(Model(0)["b"], contents["b"]);
    }

    [Fact]
    public async Task A_cancelled_backup_leaves_no_target_and_releases_the_checkpoints()
    {
        using Database db = _temp.Open();
        Seed(db);
        using var cancel = new CancellationTokenSource();
        db.Engine.BackupHooksForTests = new DatabaseBackup.Hooks { BeforeCopy = name => cancel.Cancel() };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => db.BackupAsync(_target, cancel.Token));
        db.Engine.BackupHooksForTests = null;
        Assert.False(Directory.Exists(_target));

        db.GetCollection("a").Compact(); // the gate was released: a checkpoint runs
        BackupReport report = await db.BackupAsync(_target, CancellationToken.None);
        Assert.Equal(2, report.Collections.Count);
        using Database copy = Database.Open(_target);
        Assert.Equal(Model(0)["b"], Contents(copy)["b"]);
    }

    [Fact]
    public void Read_only_and_in_memory_databases_refuse_a_backup()
    {
        using (Database db = _temp.Open())
        {
            Seed(db);
        }
        using (Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Throws<ReadOnlyDatabaseException>(() => ro.Backup(_target));
        }
        using (Database memory = Database.OpenInMemory())
        {
            Assert.Throws<NotSupportedException>(() => memory.Backup(_target));
        }
        Assert.False(Directory.Exists(_target));
    }
}
