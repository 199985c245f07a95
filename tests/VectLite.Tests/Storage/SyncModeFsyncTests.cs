using VectLite.Storage;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Storage;

/// <summary>
/// What each sync mode fsyncs, counted at the storage seam: the log's fsyncs are the durability promise of
/// docs/durability.md, and nothing else observes them (a missing fsync loses data only on a power cut).
/// </summary>
public sealed class SyncModeFsyncTests : IDisposable
{
    private const string Wal = "wal.vlwal";

    private readonly TempDatabase _temp = new();
    private readonly FaultInjectingStorage _device = new(FileSystemStorage.Instance) { ForwardSyncs = false };

    public void Dispose() => _temp.Dispose();

    private (Database Db, Collection Collection) Open(SyncMode mode)
    {
        Database db = _temp.Open(new DatabaseOptions { SyncMode = mode, Storage = _device });
        return (db, db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2)));
    }

    private static void Write(Collection c, int batches, int start = 0)
    {
        for (int i = start; i < start + batches; i++)
        {
            c.Upsert(new Record((ulong)i, new float[] { i, 1 }));
        }
    }

    [Fact]
    public void PerOp_fsyncs_the_log_once_per_batch_before_acknowledging_it()
    {
        var (db, c) = Open(SyncMode.PerOp);
        using (db)
        {
            int before = _device.FileSyncs(Wal);
            for (int i = 1; i <= 5; i++)
            {
                Write(c, 1, i);
                Assert.Equal(before + i, _device.FileSyncs(Wal));
            }
        }
    }

    [Fact]
    public void EveryN_fsyncs_the_log_on_every_nth_batch()
    {
        var (db, c) = Open(SyncMode.EveryN(4));
        using (db)
        {
            int before = _device.FileSyncs(Wal);
            int[] expected = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]; // after batch 1..10
            for (int i = 0; i < expected.Length; i++)
            {
                Write(c, 1, i);
                Assert.Equal(before + expected[i], _device.FileSyncs(Wal));
            }
        }
    }

    [Fact]
    public void OnFlush_fsyncs_the_log_only_at_flush_checkpoint_and_close()
    {
        var (db, c) = Open(SyncMode.OnFlush);
        int before = _device.FileSyncs(Wal);
        Write(c, 20);
        Assert.Equal(before, _device.FileSyncs(Wal));

        c.Flush();
        Assert.Equal(before + 1, _device.FileSyncs(Wal));

        Write(c, 3, 100);
        db.Flush();
        Assert.Equal(before + 2, _device.FileSyncs(Wal));

        Write(c, 3, 200);
        c.Compact(); // syncs the log before writing the checkpoint, and again after emptying it
        int afterCompact = _device.FileSyncs(Wal);
        Assert.True(afterCompact >= before + 3, $"a checkpoint did not sync the log ({afterCompact - before - 2} syncs)");

        Write(c, 3, 300);
        db.Dispose();
        // The batches, then the sync marker recording them as synced (docs/file-format.md): a close makes both durable.
        Assert.Equal(afterCompact + 2, _device.FileSyncs(Wal));
    }

    [Fact]
    public void Nothing_unsynced_means_no_fsync_at_flush()
    {
        var (db, c) = Open(SyncMode.PerOp);
        using (db)
        {
            Write(c, 2);
            int before = _device.FileSyncs(Wal);
            db.Flush();
            Assert.Equal(before, _device.FileSyncs(Wal));
        }
    }

    [Theory]
    [InlineData("OnFlush", "PerOp")]
    [InlineData("OnFlush", "EveryN(4)")]
    [InlineData("EveryN(8)", "PerOp")]
    public void Switching_to_a_stricter_mode_fsyncs_the_log_at_once(string from, string to)
    {
        var (db, c) = Open(SyncMode.Parse(from));
        using (db)
        {
            Write(c, 3);
            int before = _device.FileSyncs(Wal);
            db.SyncMode = SyncMode.Parse(to);
            Assert.Equal(before + 1, _device.FileSyncs(Wal));
        }
    }

    [Fact]
    public void Switching_to_a_looser_mode_does_not_fsync()
    {
        var (db, c) = Open(SyncMode.EveryN(8));
        using (db)
        {
            Write(c, 3);
            int before = _device.FileSyncs(Wal);
            db.SyncMode = SyncMode.OnFlush;
            Assert.Equal(before, _device.FileSyncs(Wal));
        }
    }

    [Fact]
    public void A_checkpoint_fsyncs_every_file_it_writes_and_the_directory_before_its_manifest_takes_effect()
    {
        var (db, c) = Open(SyncMode.PerOp);
        using (db)
        {
            Write(c, 5);
            int start = _device.OperationCount;
            c.Compact();
            var ops = _device.Log.Skip(start).ToList();
            int commit = ops.FindIndex(op => op.Kind == StorageOperationKind.Move && op.Path.EndsWith("checkpoint.vlck.tmp", StringComparison.Ordinal));
            Assert.True(commit > 0, "the checkpoint manifest was not renamed into place");
            // Every temporary file created before the commit point was fsynced, then renamed, before it.
            foreach (var created in ops.Take(commit).Where(op => op.Kind == StorageOperationKind.Create))
            {
                int synced = ops.FindIndex(op => op.Kind == StorageOperationKind.SyncFile && op.Path == created.Path);
                int renamed = ops.FindIndex(op => op.Kind == StorageOperationKind.Move && op.Path == created.Path);
                Assert.True(synced >= 0 && synced < renamed && renamed <= commit, $"{created.Path} was not fsynced before its rename");
            }
            // The data files' renames are made durable (directory fsync) before the manifest is written.
            int lastDataRename = ops.FindLastIndex(commit - 1, op => op.Kind == StorageOperationKind.Move && !op.Path.EndsWith("checkpoint.vlck.tmp", StringComparison.Ordinal));
            int manifestCreate = ops.FindIndex(op => op.Kind == StorageOperationKind.Create && op.Path.EndsWith("checkpoint.vlck.tmp", StringComparison.Ordinal));
            Assert.Contains(ops.Skip(lastDataRename).Take(manifestCreate - lastDataRename), op => op.Kind == StorageOperationKind.SyncDirectory);
            // And the manifest's own rename is made durable.
            Assert.Contains(ops.Skip(commit), op => op.Kind == StorageOperationKind.SyncDirectory);
        }
    }
}
