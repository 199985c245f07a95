using VectLite.Storage;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Storage;

/// <summary>The production device types real operating-system errors, and the log writer leaves nothing half-written.</summary>
public sealed class StorageErrorTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_write_to_a_full_device_is_StorageFull()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /dev/full (every write fails with ENOSPC) exists on Linux only
        }
        using IStorageFile file = FileSystemStorage.Instance.OpenForWrite("/dev/full");
        var ex = Assert.Throws<StorageException>(() => file.Write(new byte[4096], 0));
        Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
        Assert.Equal("/dev/full", ex.FilePath);
    }

    [Fact]
    public void Creating_a_file_in_a_missing_directory_is_StorageFailure()
    {
        string path = Path.Combine(_temp.Path, "no-such-folder", "file");
        var ex = Assert.Throws<StorageException>(() => FileSystemStorage.Instance.Create(path));
        Assert.Equal(VectLiteErrorCode.StorageFailure, ex.Code);
    }

    [Fact]
    public void A_failed_append_is_cut_back_off_the_log()
    {
        Directory.CreateDirectory(_temp.Path);
        string path = Path.Combine(_temp.Path, "wal.vlwal");
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { Fault = InjectedFault.ShortWrite };
        WalWriter.CreateEmpty(device, path);
        using (WalWriter wal = WalWriter.OpenForAppend(device, path, new FileInfo(path).Length, lastLsn: 0))
        {
            wal.Append(1, new byte[100], SyncMode.PerOp);
            long good = new FileInfo(path).Length;
            Assert.Equal(32 + 24 + 100, good); // file header + frame header + batch, per docs/file-format.md

            device.FailAt = device.OperationCount + 1; // the next write: half of it lands, then ENOSPC
            var ex = Assert.Throws<StorageException>(() => wal.Append(2, new byte[1000], SyncMode.PerOp));
            Assert.Equal(VectLiteErrorCode.StorageFull, ex.Code);
            Assert.Equal(good, new FileInfo(path).Length);

            wal.Append(2, new byte[10], SyncMode.PerOp); // the fault is gone (FailAt passed): appends resume
            Assert.Equal(good + 24 + 10, new FileInfo(path).Length);
        }
    }

    [Fact]
    public void A_writer_that_cannot_cut_back_a_failed_append_refuses_appends_until_reopened()
    {
        Directory.CreateDirectory(_temp.Path);
        string path = Path.Combine(_temp.Path, "wal.vlwal");
        var device = new FaultInjectingStorage(FileSystemStorage.Instance) { Fault = InjectedFault.ShortWrite, FailFromThenOn = true };
        WalWriter.CreateEmpty(device, path);
        long header = new FileInfo(path).Length;
        using (WalWriter wal = WalWriter.OpenForAppend(device, path, header, lastLsn: 0))
        {
            device.FailAt = device.OperationCount + 1; // the write and the truncate after it both fail
            Assert.Throws<StorageException>(() => wal.Append(1, new byte[1000], SyncMode.PerOp));
            Assert.Equal(header + 512, new FileInfo(path).Length); // half of the 1,024-byte frame stayed

            device.ClearFaults();
            int before = device.OperationCount;
            var ex = Assert.Throws<StorageException>(() => wal.Append(1, new byte[10], SyncMode.PerOp));
            Assert.Equal(VectLiteErrorCode.StorageFailure, ex.Code);
            Assert.Equal(before, device.OperationCount); // refused before touching the file
        }

        // Reopening (what a database open does after reading the log) cuts the torn frame and appends again.
        using (WalWriter reopened = WalWriter.OpenForAppend(device, path, header, lastLsn: 0))
        {
            reopened.Append(1, new byte[10], SyncMode.PerOp);
            Assert.Equal(header + 34, new FileInfo(path).Length);
        }
    }
}
