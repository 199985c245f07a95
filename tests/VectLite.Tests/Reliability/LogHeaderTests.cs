using System.Buffers.Binary;
using VectLite.Tests.Engine;
using VectLite.Tests.Support;

namespace VectLite.Tests.Reliability;

/// <summary>
/// The log's 32-byte file header (magic <c>VLWALOG1</c>, format version, reserved bytes, CRC32C of bytes 0..28; see
/// docs/file-format.md): each way it can be wrong is a <see cref="CorruptFileException"/> that names the log, the
/// header field and the problem, for a writer open and a read-only open alike, and nothing is changed. Each header is
/// built by hand with a valid checksum where the test is about another field, so one check cannot stand in for another.
/// </summary>
public sealed class LogHeaderTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public LogHeaderTests()
    {
        using Database db = _temp.Open();
        db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2)).Upsert(new Record(1, new float[] { 1, 0 }));
    }

    public void Dispose() => _temp.Dispose();

    private string WalPath => Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");

    /// <summary>The log as written (header and one batch) with its header replaced.</summary>
    private byte[] WithHeader(byte[] header)
    {
        byte[] wal = File.ReadAllBytes(WalPath);
        header.CopyTo(wal, 0);
        return wal;
    }

    public static TheoryData<string, long, string> Damages => new()
    {
        { "empty", 0, "the log is 0 bytes, shorter than its 32-byte header" },
        { "31 bytes", 0, "the log is 31 bytes, shorter than its 32-byte header" },
        { "bad magic", 0, "not a VectLite write-ahead log (bad magic number)" },
        { "checkpoint magic", 0, "not a VectLite write-ahead log (bad magic number)" },
        { "reserved byte changed", 28, "log header checksum mismatch" },
        { "checksum changed", 28, "log header checksum mismatch" },
        { "version 3", 8, "unsupported log format version 3 (this build reads versions 1 and 2)" },
        { "version 0", 8, "unsupported log format version 0 (this build reads versions 1 and 2)" },
    };

    private byte[] Damaged(string kind)
    {
        byte[] good = File.ReadAllBytes(WalPath);
        Assert.Equal(WalFrames.FileHeader(), good[..WalFrames.FileHeaderSize]); // the writer's header is the documented one
        switch (kind)
        {
            case "empty":
                return [];
            case "31 bytes":
                return good[..31];
            case "bad magic":
                return WithHeader(WalFrames.FileHeader(magic: 0x31474F4C41574C57)); // "WLWALOG1", checksum right
            case "checkpoint magic":
                return WithHeader(WalFrames.FileHeader(magic: 0x31544E504B434C56)); // "VLCKPNT1", checksum right
            case "reserved byte changed":
            {
                byte[] header = WalFrames.FileHeader();
                header[20] = 1;
                return WithHeader(header);
            }
            case "checksum changed":
            {
                byte[] header = WalFrames.FileHeader();
                BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(28)) ^ 1);
                return WithHeader(header);
            }
            case "version 3":
                return WithHeader(WalFrames.FileHeader(version: 3));
            case "version 0":
                return WithHeader(WalFrames.FileHeader(version: 0));
            default:
                throw new ArgumentException(kind);
        }
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public void A_damaged_log_header_is_a_CorruptFileException_naming_the_problem_and_nothing_changes(string kind, long offset, string problem)
    {
        byte[] damaged = Damaged(kind);
        File.WriteAllBytes(WalPath, damaged);

        foreach (bool readOnly in new[] { false, true })
        {
            using Database db = _temp.Open(new DatabaseOptions { ReadOnly = readOnly });
            var ex = Assert.Throws<CorruptFileException>(() => db.GetCollection("docs"));
            Assert.Equal(WalPath, ex.FilePath);
            Assert.Equal(offset, ex.Offset);
            Assert.Equal(problem, ex.Problem);
            Assert.Equal(VectLiteErrorCode.CorruptFile, ex.Code);
        }

        // Recover cuts logs at damaged frames; a log whose header is wrong is not one it can repair, so it reports the
        // header the same way and leaves the file alone.
        var recover = Assert.Throws<CorruptFileException>(() => Database.Recover(_temp.Path));
        Assert.Equal(problem, recover.Problem);
        Assert.Equal(damaged, File.ReadAllBytes(WalPath));
        Assert.Empty(Directory.GetFiles(_temp.CollectionDirectory("docs"), "wal.vlwal.damaged-*"));
    }

    [Fact]
    public void The_documented_header_opens()
    {
        // The control for the theory above: the same log with the hand-built header of docs/file-format.md opens.
        File.WriteAllBytes(WalPath, WithHeader(WalFrames.FileHeader()));
        using Database db = _temp.Open();
        Assert.Equal(1, db.GetCollection("docs").Count());
    }
}
