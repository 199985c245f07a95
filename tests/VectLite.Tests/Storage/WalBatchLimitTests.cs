using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// A batch larger than <see cref="WalFormat.MaxBatchBytes"/> (which the reader would reject as damage) is refused with
/// an <see cref="InvalidRecordException"/> before a byte reaches the log, and the log stays usable.
/// </summary>
public sealed class WalBatchLimitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "vectlite-tests", Guid.NewGuid().ToString("N"));

    public WalBatchLimitTests() => Directory.CreateDirectory(_directory);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_batch_over_the_limit_is_refused_and_nothing_is_written()
    {
        string path = Path.Combine(_directory, "wal.vlwal");
        WalWriter.CreateEmpty(FileSystemStorage.Instance, path);
        // Never written to or read: the limit is checked first, so these pages are not even touched.
        byte[] oversized = GC.AllocateUninitializedArray<byte>(WalFormat.MaxBatchBytes + 1);
        using (WalWriter writer = WalWriter.OpenForAppend(FileSystemStorage.Instance, path, 32, lastLsn: 0))
        {
            writer.Append(1, [1, 2, 3], SyncMode.PerOp);
            long length = new FileInfo(path).Length;
            Assert.Equal(32 + 24 + 3, length);

            Assert.Throws<InvalidRecordException>(() => writer.Append(2, oversized, SyncMode.PerOp));
            Assert.Equal(length, new FileInfo(path).Length);
            Assert.Equal(length, writer.Length);

            writer.Append(2, [4, 5], SyncMode.PerOp); // the next batch still takes the next LSN
        }

        var batches = new List<string>();
        WalReadResult result = WalReader.Read(path, 0, (lsn, batch) => batches.Add($"{lsn}:{string.Join(",", batch.ToArray())}"));
        Assert.Equal(["1:1,2,3", "2:4,5"], batches);
        Assert.Equal(0, result.TornBytes);
    }
}
