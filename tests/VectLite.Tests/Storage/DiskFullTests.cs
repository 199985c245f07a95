using VectLite.Storage;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Storage;

/// <summary>Issue 7 item 9: a full disk is a typed error, the database stays consistent, and writes resume once space is freed.</summary>
public sealed class DiskFullTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FaultInjectingStorage _device = new(FileSystemStorage.Instance) { ForwardSyncs = false };

    public void Dispose() => _temp.Dispose();

    private static Record R(ulong id) => new(id, new float[] { id, 1 });

    [Fact]
    public void Writes_on_a_full_disk_fail_with_StorageFull_change_nothing_and_resume_once_space_is_freed()
    {
        using (Database db = _temp.Open(new DatabaseOptions { Storage = _device }))
        {
            Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
            c.UpsertMany([R(1), R(2), R(3)]);

            // The disk fills up: every write fails from now on (truncating, which frees space, still works).
            _device.Fault = InjectedFault.ShortWrite;
            _device.OnlyKind = StorageOperationKind.Write;
            _device.FailFromThenOn = true;
            _device.FailAt = _device.OperationCount + 1;
            for (ulong id = 100; id < 103; id++)
            {
                var ex = Assert.Throws<StorageException>(() => c.Upsert(R(id)));
                Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
            }
            Assert.Throws<StorageException>(() => c.Delete(1));
            Assert.Equal(3, c.Count());
            Assert.NotNull(c.Get(1));

            _device.ClearFaults(); // space freed
            c.Upsert(R(200));
            Assert.True(c.Delete(1));
            Assert.Equal(3, c.Count());
        }

        using (Database reopened = _temp.Open())
        {
            Collection c = reopened.GetCollection("c");
            Assert.Equal(new ulong[] { 2, 3, 200 }, c.Scroll().Records.Select(r => r.Id.AsNumber).Order());
        }
    }

    [Fact]
    public void A_log_that_cannot_be_synced_at_close_is_a_typed_error_and_every_collection_still_closes()
    {
        Database db = _temp.Open(new DatabaseOptions { SyncMode = SyncMode.OnFlush, Storage = _device });
        Collection a = db.CreateCollection("a", CollectionSchema.SingleVector(2, Metric.L2));
        Collection b = db.CreateCollection("b", CollectionSchema.SingleVector(2, Metric.L2));
        a.Upsert(R(1));
        b.Upsert(R(1));

        _device.Fault = InjectedFault.IOError;
        _device.FailFromThenOn = true;
        _device.FailAt = _device.OperationCount + 1;
        var ex = Assert.Throws<StorageException>(db.Dispose);
        Assert.Equal(VectLiteErrorCode.StorageFailure, ex.Code);
        Assert.Equal(2, _device.FaultsInjected); // both logs were asked to sync
        Assert.Throws<ObjectDisposedException>(() => b.Count());

        _device.ClearFaults();
        using Database reopened = _temp.Open(); // the writer lock was released
        Assert.Equal(1, reopened.GetCollection("a").Count());
    }

    [Fact]
    public void Recover_on_a_full_disk_fails_with_StorageFull_and_cuts_nothing()
    {
        string wal = Path.Combine(_temp.CollectionDirectory("c"), "wal.vlwal");
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
            for (ulong id = 0; id < 5; id++)
            {
                c.Upsert(R(id));
            }
        }
        byte[] damaged = File.ReadAllBytes(wal);
        damaged[32 + 16 + 3] ^= 0x10; // inside the first batch, with four intact batches after it
        File.WriteAllBytes(wal, damaged);

        // Only writes fail: the set-aside copy cannot be written, so the live log must not be cut.
        _device.Fault = InjectedFault.DiskFull;
        _device.OnlyKind = StorageOperationKind.Write;
        _device.FailFromThenOn = true;
        _device.FailAt = 1;
        var ex = Assert.Throws<StorageException>(() => Database.Recover(_temp.Path, new DatabaseOptions { Storage = _device }));
        Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
        Assert.Equal(damaged, File.ReadAllBytes(wal));

        RecoveryReport report = Database.Recover(_temp.Path); // space freed
        Assert.True(report.AnyRepaired);
        Assert.Equal(32, new FileInfo(wal).Length); // cut at the damaged first batch
    }
}
