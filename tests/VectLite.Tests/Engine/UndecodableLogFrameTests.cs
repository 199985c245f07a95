using System.Buffers.Binary;
using VectLite.Tests.Support;

namespace VectLite.Tests.Engine;

/// <summary>
/// A log frame whose checksum is right but whose body does not decode was written that way (a torn write cannot
/// produce a matching CRC32C), so it is corruption: the open fails with a <see cref="CorruptFileException"/> naming the
/// log, and the log is left as it was for inspection or salvage. Frames are crafted here byte by byte, with the
/// checksum from System.IO.Hashing rather than from VectLite.
/// </summary>
public sealed class UndecodableLogFrameTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Bodies => new() { "random", "empty", "unknown-operation", "cut-short-upsert", "huge-count" };

    private static byte[] Body(string kind) => kind switch
    {
        "random" => RandomBytes(64),
        "empty" => [],
        "unknown-operation" => [1, 0, 0, 0, 0xEE, 1, 2, 3],
        "cut-short-upsert" => [1, 0, 0, 0, 1, 5],
        "huge-count" => [0xFF, 0xFF, 0xFF, 0x7F],
        _ => throw new ArgumentException(kind),
    };

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(3).NextBytes(bytes);
        return bytes;
    }

    /// <summary>The LSN of the last frame, read by walking the frame headers.</summary>
    private static long LastLsn(byte[] wal)
    {
        long lsn = 0;
        for (int offset = 32; offset < wal.Length;)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(wal.AsSpan(offset));
            lsn = BinaryPrimitives.ReadInt64LittleEndian(wal.AsSpan(offset + 8));
            offset += WalFrames.FrameHeaderSize + length;
        }
        return lsn;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void A_frame_that_passes_its_checksum_but_does_not_decode_is_corruption(string body)
    {
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(4, Metric.L2));
            c.UpsertMany(TestData.Records(5, 4));
            c.Delete(1);
        }
        string wal = Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");
        byte[] before = File.ReadAllBytes(wal);
        Assert.Equal(2, LastLsn(before));
        byte[] damaged = [.. before, .. WalFrames.Build(LastLsn(before) + 1, Body(body))];
        File.WriteAllBytes(wal, damaged);

        using (Database db = _temp.Open())
        {
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(wal, ex.FilePath);
        }
        using (Database ro = _temp.Open(new DatabaseOptions { ReadOnly = true }))
        {
            Assert.Throws<CorruptFileException>(() => ro.GetCollection("docs"));
        }
        Assert.Equal(damaged, File.ReadAllBytes(wal)); // nothing cut: the intact batches and the evidence stay
    }
}
