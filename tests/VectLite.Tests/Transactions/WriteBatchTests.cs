using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Transactions;

/// <summary>
/// <see cref="Database.Write(WriteBatch)"/>: upserts, deletes, payload updates and expiries across collections, all or
/// nothing, also across a crash. Crashes are simulated by copying the database directory as it is on disk at a
/// moment inside the commit (what a killed process leaves: the operating system keeps every write) and opening the
/// copy; the expected states are written out by hand.
/// </summary>
public sealed class WriteBatchTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly List<string> _copies = [];

    public void Dispose()
    {
        _temp.Dispose();
        foreach (string copy in _copies)
        {
            if (Directory.Exists(copy))
            {
                Directory.Delete(copy, recursive: true);
            }
        }
    }

    private static Record R(ulong id, float x, string? tag = null) =>
        new(id, new float[] { x, 1 }, tag is null ? null : new JsonObject { ["tag"] = tag });

    /// <summary>Two collections, "notes" holding records 1 and 2 and "tags" holding record 10.</summary>
    private Database OpenSeeded(DatabaseOptions? options = null)
    {
        Database db = _temp.Open(options);
        db.CreateCollection("notes", CollectionSchema.SingleVector(2, Metric.L2)).UpsertMany([R(1, 1, "a"), R(2, 2, "b")]);
        db.CreateCollection("tags", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(R(10, 10, "x"));
        return db;
    }

    /// <summary>The batch the crash tests commit: an upsert and a delete in "notes", a payload update in "tags".</summary>
    private static WriteBatch CrossBatch() => new WriteBatch()
        .Upsert("notes", R(3, 3, "c"))
        .Delete("notes", 1)
        .UpdatePayload("tags", 10, new JsonObject { ["count"] = 2 });

    /// <summary>"ids|payload of 10" of the two collections, for comparing whole states.</summary>
    private static string State(Database db)
    {
        Collection notes = db.GetCollection("notes"), tags = db.GetCollection("tags");
        string ids = string.Join(",", new ulong[] { 1, 2, 3 }.Where(id => notes.Get(id) is not null));
        return $"{ids}|{tags.Get(10)!.Payload!.ToJsonString()}";
    }

    private const string Before = """1,2|{"tag":"x"}""";
    private const string After = """2,3|{"tag":"x","count":2}""";

    private string CopyOnDisk()
    {
        string copy = Path.Combine(Path.GetTempPath(), "vectlite-tests", "copy-" + Guid.NewGuid().ToString("N"));
        _copies.Add(copy);
        CopyDirectory(_temp.Path, copy);
        return copy;
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from).Where(f => Path.GetFileName(f) != "vectlite.lock")) // held; its process is "gone"
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
        foreach (string dir in Directory.GetDirectories(from))
        {
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
        }
    }

    [Fact]
    public void A_batch_across_collections_applies_every_operation_in_order()
    {
        using Database db = OpenSeeded();
        var batch = new WriteBatch()
            .Upsert("notes", R(3, 3, "c"))
            .UpdatePayload("notes", 3, new JsonObject { ["seen"] = true }) // patches the record upserted just before
            .Delete("notes", 1)
            .UpdatePayload("notes", 1, new JsonObject { ["never"] = 1 })   // deleted just before: no effect
            .Delete("notes", 99)                                           // never existed: no effect
            .SetExpiry("tags", 10, DateTimeOffset.UtcNow.AddDays(1))
            .UpdatePayload("tags", 10, new JsonObject { ["count"] = 2 });

        int applied = db.Write(batch);

        Assert.Equal(5, applied);
        Collection notes = db.GetCollection("notes");
        Assert.Null(notes.Get(1));
        Assert.Equal("""{"tag":"c","seen":true}""", notes.Get(3)!.Payload!.ToJsonString());
        Assert.Equal(After, State(db));
        Assert.NotNull(db.GetCollection("tags").Get(10)!.ExpiresAt);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "transactions.vlwal")) && new FileInfo(Path.Combine(_temp.Path, "transactions.vlwal")).Length > 32,
            "the transaction log keeps a transaction that is complete");
    }

    [Fact]
    public void The_batch_survives_a_reopen()
    {
        using (Database db = OpenSeeded())
        {
            db.Write(CrossBatch());
        }
        using Database reopened = _temp.Open();
        Assert.Equal(After, State(reopened));
    }

    [Fact]
    public void An_invalid_operation_anywhere_writes_nothing_anywhere()
    {
        using Database db = OpenSeeded();
        string notesLog = Path.Combine(_temp.CollectionDirectory("notes"), "wal.vlwal");
        string tagsLog = Path.Combine(_temp.CollectionDirectory("tags"), "wal.vlwal");
        byte[] notesBefore = File.ReadAllBytes(notesLog), tagsBefore = File.ReadAllBytes(tagsLog);

        WriteBatch wrongDimension = CrossBatch().Upsert("tags", new Record(11, new float[] { 1, 2, 3 }));
        Assert.Throws<DimensionMismatchException>(() => db.Write(wrongDimension));
        WriteBatch unknown = CrossBatch().Delete("nope", 1);
        Assert.Equal("nope", Assert.Throws<CollectionNotFoundException>(() => db.Write(unknown)).Name);
        var deep = new JsonObject();
        JsonObject inner = deep;
        for (int i = 0; i < 70; i++)
        {
            var next = new JsonObject();
            inner["d"] = next;
            inner = next;
        }
        WriteBatch tooDeep = CrossBatch().UpdatePayload("notes", 2, deep); // found while resolving, under the locks
        Assert.Throws<InvalidRecordException>(() => db.Write(tooDeep));

        Assert.Equal(Before, State(db));
        Assert.Equal(notesBefore, File.ReadAllBytes(notesLog));
        Assert.Equal(tagsBefore, File.ReadAllBytes(tagsLog));
        db.Write(CrossBatch()); // nothing was left half-done to trip the next batch
        Assert.Equal(After, State(db));
    }

    [Fact]
    public void A_crash_after_the_commit_point_before_any_part_is_written_completes_the_batch_at_the_next_open()
    {
        string? copy = null;
        using (Database db = OpenSeeded(new DatabaseOptions { SyncMode = SyncMode.OnFlush }))
        {
            db.Engine.TransactionCommittedForTests = () => copy = CopyOnDisk();
            db.Write(CrossBatch());
        }
        Assert.NotNull(copy);
        // verify reports the pending transaction as a warning: the files are intact, the next writer open completes it.
        VerifyReport report = Database.Verify(copy);
        Assert.True(report.IsIntact);
        VerifiedFile transactions = Assert.Single(report.Files, f => f.Kind == VerifiedFileKind.TransactionLog);
        VerifyFinding pending = Assert.Single(transactions.Findings);
        Assert.Equal(VerifySeverity.Warning, pending.Severity);
        Assert.StartsWith("1 committed write batches across collections are not yet complete", pending.Description);
        // The copy's collection logs lack their parts; only the transaction log has the batch.
        using (Database ro = Database.Open(copy, new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Equal(After, State(ro)); // a read-only open applies it in memory...
        }
        Assert.True(new FileInfo(Path.Combine(copy, "transactions.vlwal")).Length > 32); // ...and changes no file
        using (Database db = Database.Open(copy))
        {
            Assert.Equal(After, State(db)); // a writer open logs the missing parts
        }
        Assert.Equal(32, new FileInfo(Path.Combine(copy, "transactions.vlwal")).Length); // and empties the transaction log
        Assert.Empty(Assert.Single(Database.Verify(copy).Files, f => f.Kind == VerifiedFileKind.TransactionLog).Findings);
        using (Database db = Database.Open(copy))
        {
            Assert.Equal(After, State(db)); // from the collections' own logs now
        }
    }

    [Fact]
    public void A_crash_after_one_part_is_written_completes_the_other_at_the_next_open()
    {
        string? copy = null;
        using (Database db = OpenSeeded())
        {
            // Parts are written in collection name order: "notes", then "tags". Copy once "notes" has its part.
            db.GetCollection("notes").BatchLoggedForTests = _ => copy ??= CopyOnDisk();
            db.Write(CrossBatch());
        }
        Assert.NotNull(copy);
        using Database reopened = Database.Open(copy);
        Assert.Equal(After, State(reopened));
    }

    [Fact]
    public void A_torn_transaction_record_is_no_commit_and_nothing_is_applied()
    {
        string? copy = null;
        using (Database db = OpenSeeded())
        {
            db.Engine.TransactionCommittedForTests = () => copy = CopyOnDisk();
            db.Write(CrossBatch());
        }
        string log = Path.Combine(copy!, "transactions.vlwal");
        using (var file = new FileStream(log, FileMode.Open))
        {
            file.SetLength(file.Length - 5); // the crash came during the append: the record's frame is cut short
        }
        using Database reopened = Database.Open(copy!);
        Assert.Equal(Before, State(reopened));
    }

    [Fact]
    public void A_part_that_fails_after_the_commit_faults_the_collections_without_it_and_a_reopen_completes_them()
    {
        using (Database db = OpenSeeded())
        {
            db.GetCollection("notes").BatchLoggedForTests = _ => throw new OutOfMemoryException("simulated");
            var ex = Assert.Throws<StorageException>(() => db.Write(CrossBatch()));
            Assert.Contains("the batch is committed", ex.Message);
            db.GetCollection("notes").BatchLoggedForTests = null;
            // "notes" logged its part but could not apply it; "tags" never got its part: both refuse writes.
            Assert.Throws<CollectionFaultedException>(() => db.GetCollection("notes").Upsert(R(5, 5)));
            Assert.Throws<CollectionFaultedException>(() => db.GetCollection("tags").Upsert(R(5, 5)));
        }
        using Database reopened = _temp.Open();
        Assert.Equal(After, State(reopened));
    }

    [Fact]
    public void A_backup_taken_while_a_committed_batch_lacks_a_part_completes_it_in_the_copy()
    {
        string copy = Path.Combine(Path.GetTempPath(), "vectlite-tests", "backup-" + Guid.NewGuid().ToString("N"));
        _copies.Add(copy);
        using (Database db = OpenSeeded())
        {
            db.GetCollection("notes").BatchLoggedForTests = _ => throw new OutOfMemoryException("simulated");
            Assert.Throws<StorageException>(() => db.Write(CrossBatch()));
            db.GetCollection("notes").BatchLoggedForTests = null;
            // "tags" never got its part: only the transaction log has it. The backup must carry it along.
            db.Backup(copy);
        }
        Assert.True(new FileInfo(Path.Combine(copy, "transactions.vlwal")).Length > 32);
        using Database restored = Database.Open(copy);
        Assert.Equal(After, State(restored));
    }

    [Fact]
    public void A_batch_in_one_collection_is_one_log_batch_and_needs_no_transaction_log()
    {
        using Database db = OpenSeeded();
        int applied = db.Write(new WriteBatch().Upsert("notes", R(3, 3)).Delete("notes", 1).UpdatePayload("notes", 2, new JsonObject { ["z"] = 1 }));
        Assert.Equal(3, applied);
        Assert.False(File.Exists(Path.Combine(_temp.Path, "transactions.vlwal")));
        Assert.Equal(2, db.GetCollection("notes").Count());
    }

    [Fact]
    public void A_read_only_handle_refuses_a_batch()
    {
        using (OpenSeeded())
        {
        }
        using Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true });
        Assert.Throws<ReadOnlyDatabaseException>(() => ro.Write(CrossBatch()));
    }
}
