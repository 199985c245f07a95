using System.Text.Json.Nodes;
using VectLite.Storage;
using VectLite.Tests.Storage;

namespace VectLite.Tests.Engine;

/// <summary>
/// A batch whose encoding reaches <see cref="WalWriter.SeparateHeaderBytes"/> is streamed into the log in pieces
/// (<see cref="WalBatchCodec.StreamPieceBytes"/>) instead of being encoded whole first: the log still holds it as one
/// batch, replay gives every record back bit for bit, and an in-memory database (no log) takes such a batch too. Its
/// vectors (a batch of at least <see cref="CollectionEngine.StagedBatchRecords"/> records) are copied once, into the
/// rows they take, and that copy is validated again: a caller that changes a vector after the batch was validated gets
/// an error and nothing is written, or, with a valid value, finds that value both before and after a reopen (what is
/// logged is what is applied).
/// </summary>
public sealed class LargeBatchLogTests : IDisposable
{
    private const int Dimension = 96;

    /// <summary>About 1.7 MB of vectors and payloads: more than one piece, and over the streaming threshold.</summary>
    private const int Count = 4_500;

    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Component j of record i: values of every magnitude and sign, so a misplaced byte changes some float.</summary>
    private static float Component(int i, int j) => (float)(Math.Sin((i * 0.37) + (j * 1.91)) * Math.Pow(10, (i + j) % 7 - 3));

    private static Record R(int i) =>
        new((ulong)i, Enumerable.Range(0, Dimension).Select(j => Component(i, j)).ToArray(), new JsonObject { ["n"] = i, ["tag"] = $"t{i % 13}" });

    private static void AssertStoredAsGiven(Collection c)
    {
        Assert.Equal(Count, c.Count());
        for (int i = 0; i < Count; i++)
        {
            Record stored = c.Get((ulong)i) ?? throw new Xunit.Sdk.XunitException($"record {i} is missing");
            float[] vector = stored.Vector!.Value.ToArray();
            for (int j = 0; j < Dimension; j++)
            {
                if (BitConverter.SingleToInt32Bits(vector[j]) != BitConverter.SingleToInt32Bits(Component(i, j)))
                {
                    Assert.Fail($"record {i} component {j}: {vector[j]:R}, written {Component(i, j):R}");
                }
            }
            Assert.Equal(i, stored.Payload!["n"]!.GetValue<int>());
            Assert.Equal($"t{i % 13}", stored.Payload!["tag"]!.GetValue<string>());
        }
    }

    [Fact]
    public void A_batch_over_the_streaming_threshold_is_logged_as_one_batch_and_replays_bit_for_bit()
    {
        var options = new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled };
        long walBytes;
        using (Database db = _temp.Open(options))
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(HnswOptions.Disabled));
            long before = c.GetStats().WalBytes;
            c.UpsertMany([.. Enumerable.Range(0, Count).Select(R)]);
            db.Flush();
            CollectionStats stats = c.GetStats();
            walBytes = stats.WalBytes - before;
            Assert.Equal(1, stats.WalBatchesSinceCheckpoint);
        }

        // The vectors alone are Count x Dimension x 4 bytes: the frame holds them all, in one batch, past the threshold.
        Assert.InRange(walBytes, (long)Count * Dimension * sizeof(float), 2L * Count * Dimension * sizeof(float));
        Assert.True(walBytes > 1.5 * WalBatchCodec.StreamPieceBytes);

        using (Database reopened = _temp.Open(options))
        {
            Collection c = reopened.GetCollection("docs");
            Assert.Equal(1, c.GetStats().WalBatchesSinceCheckpoint); // replayed from the log, no checkpoint in between
            AssertStoredAsGiven(c);
        }
    }

    private static Collection CreateDocs(Database db) =>
        db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(new HnswOptions { MaxInsertThreads = 2 }));

    [Fact]
    public void A_vector_made_invalid_after_validation_is_refused_when_staged_and_nothing_is_written()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        using (Database db = _temp.Open(options))
        {
            Collection c = CreateDocs(db);
            List<Record> records = [.. Enumerable.Range(0, Count).Select(R)];
            float[] late = (float[])records[3000].Vector!.Value.ToArray().Clone();
            records[3000].Vector = late;
            c.Engine.StagingForTests = () => late[7] = float.NaN; // the caller's thread writes into the array mid-call
            long walBytes = c.GetStats().WalBytes;

            var ex = Assert.Throws<InvalidVectorException>(() => c.UpsertMany(records));

            Assert.Contains("non-finite component (NaN) at index 7", ex.Message, StringComparison.Ordinal);
            Assert.Equal(0, c.Count());
            Assert.Equal(walBytes, c.GetStats().WalBytes);

            // The rows the refused batch staged into are the next batch's.
            c.Engine.StagingForTests = null;
            late[7] = Component(3000, 7);
            Assert.Equal(Count, c.UpsertMany(records));
            AssertStoredAsGiven(c);
        }

        using Database reopened = _temp.Open(options);
        AssertStoredAsGiven(reopened.GetCollection("docs"));
    }

    [Fact]
    public void A_vector_changed_after_validation_is_stored_and_logged_as_the_staged_copy_holds_it()
    {
        var options = new DatabaseOptions { AutoCheckpoint = AutoCheckpointOptions.Disabled };
        List<Record> records = [.. Enumerable.Range(0, Count).Select(R)];
        float[] changed = records[10].Vector!.Value.ToArray();
        records[10].Vector = changed;
        using (Database db = _temp.Open(options))
        {
            Collection c = CreateDocs(db);
            c.Engine.StagingForTests = () => changed[0] = 12.5f;

            c.UpsertMany(records);
            changed[0] = -99f; // after the call: no effect

            Assert.Equal(12.5f, c.Get(10UL)!.Vector!.Value.Span[0]);
            Assert.Equal(10UL, c.Search(c.Get(10UL)!.Vector!.Value, new SearchOptions { TopK = 1, Exact = true })[0].Id.AsNumber);
        }

        using Database reopened = _temp.Open(options);
        Collection again = reopened.GetCollection("docs");
        Assert.Equal(12.5f, again.Get(10UL)!.Vector!.Value.Span[0]);
        Assert.Equal(Component(10, 1), again.Get(10UL)!.Vector!.Value.Span[1]);
    }

    [Fact]
    public void A_staged_batch_whose_log_write_fails_writes_nothing_and_the_next_batch_takes_its_rows()
    {
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { ForwardSyncs = false };
        var options = new DatabaseOptions { Storage = device, AutoCheckpoint = AutoCheckpointOptions.Disabled };
        List<Record> records = [.. Enumerable.Range(0, Count).Select(R)];
        using (Database db = _temp.Open(options))
        {
            Collection c = CreateDocs(db);
            c.Upsert(new Record(1_000_000UL, new float[Dimension]));
            device.Fault = InjectedFault.ShortWrite;
            device.OnlyKind = StorageOperationKind.Write;
            device.FailAt = device.OperationCount + 2; // the first piece lands, the second runs out of space

            var ex = Assert.Throws<StorageException>(() => c.UpsertMany(records));

            Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
            Assert.Equal("wal.vlwal", Path.GetFileName(device.FirstFaulted!.Value.Path)); // a piece of the batch's frame
            Assert.Equal(1, c.Count());
            device.ClearFaults();
            Assert.Equal(Count, c.UpsertMany(records));
            Assert.Equal(Count + 1, c.Count());
        }

        using Database reopened = _temp.Open();
        Collection docs = reopened.GetCollection("docs");
        Assert.NotNull(docs.Get(1_000_000UL));
        Assert.True(docs.Delete(1_000_000UL));
        AssertStoredAsGiven(docs);
    }

    /// <summary>Records 0..Count-1 as a producer that reuses one array for every vector it yields would give them.</summary>
    private static IEnumerable<Record> OneBufferForAll()
    {
        var buffer = new float[Dimension];
        for (int i = 0; i < Count; i++)
        {
            for (int j = 0; j < Dimension; j++)
            {
                buffer[j] = Component(i, j);
            }
            yield return new Record((ulong)i, buffer, new JsonObject { ["n"] = i, ["tag"] = $"t{i % 13}" });
        }
    }

    [Fact]
    public void A_bulk_load_from_a_producer_reusing_one_array_stores_each_records_own_vector_and_replays_it()
    {
        var options = new DatabaseOptions { SyncMode = SyncMode.OnFlush, AutoCheckpoint = AutoCheckpointOptions.Disabled };
        using (Database db = _temp.Open(options))
        {
            Collection c = CreateDocs(db);
            Assert.Equal(Count, c.UpsertBulk(OneBufferForAll(), batchSize: 2_000));
            AssertStoredAsGiven(c);
            db.Flush();
        }

        using Database reopened = _temp.Open(options);
        AssertStoredAsGiven(reopened.GetCollection("docs"));
    }

    [Fact]
    public void An_in_memory_database_takes_a_batch_over_the_streaming_threshold()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(Dimension, Metric.L2).WithHnsw(HnswOptions.Disabled));

        Assert.Equal(Count, c.UpsertMany([.. Enumerable.Range(0, Count).Select(R)]));

        AssertStoredAsGiven(c);
    }
}
