using System.Text;
using VectLite.Storage;
using VectLite.Tests.Support;

namespace VectLite.Tests.Storage;

/// <summary>
/// The transaction log (<c>transactions.vlwal</c>) and its record on their own, without a database: the record's bytes
/// as docs/file-format.md ("Transaction log") lays them out, written here as literals, the frames built with
/// <see cref="WalFrames"/> (System.IO.Hashing, not the engine's writer), the log's file operations recorded by
/// <see cref="FaultInjectingStorage"/>. The parts' batches are opaque bytes to both types.
/// </summary>
public sealed class TransactionLogTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-txlog-");
    private readonly FaultInjectingStorage _storage = new(FileSystemStorage.Instance);

    public void Dispose() => _dir.Delete(recursive: true);

    private string LogPath => Path.Combine(_dir.FullName, "transactions.vlwal");

    /// <summary>u16 part count, then per part: u16 name length + UTF-8 name, i64 LSN, i32 batch length, batch.</summary>
    private static byte[] Bytes(params object[] parts)
    {
        var bytes = new List<byte>();
        foreach (object part in parts)
        {
            switch (part)
            {
                case byte b: bytes.Add(b); break;
                case ushort us: bytes.AddRange(BitConverter.GetBytes(us)); break;
                case int i: bytes.AddRange(BitConverter.GetBytes(i)); break;
                case long l: bytes.AddRange(BitConverter.GetBytes(l)); break;
                case string s: bytes.AddRange(BitConverter.GetBytes((ushort)Encoding.UTF8.GetByteCount(s))); bytes.AddRange(Encoding.UTF8.GetBytes(s)); break;
                case byte[] raw: bytes.AddRange(raw); break;
                default: throw new ArgumentException(part.GetType().Name);
            }
        }
        return [.. bytes];
    }

    private static TransactionRecord Record(params (string Collection, long Lsn, byte[] Batch)[] parts) =>
        new([.. parts.Select(p => new TransactionPart(p.Collection, p.Lsn, p.Batch))]);

    private static byte[] Encode(TransactionRecord record)
    {
        var buffer = new BinaryBuffer(initialCapacity: 1);
        record.Encode(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void AssertSameRecord(TransactionRecord expected, TransactionRecord actual)
    {
        Assert.Equal(expected.Parts.Count, actual.Parts.Count);
        for (int i = 0; i < expected.Parts.Count; i++)
        {
            Assert.Equal(expected.Parts[i].Collection, actual.Parts[i].Collection);
            Assert.Equal(expected.Parts[i].Lsn, actual.Parts[i].Lsn);
            Assert.Equal(expected.Parts[i].Batch, actual.Parts[i].Batch);
        }
    }

    [Fact]
    public void A_record_encodes_as_documented_and_decodes_back()
    {
        TransactionRecord record = Record(("docs", 7, [1, 2, 3]), ("é", -1, []), ("x", long.MaxValue, [0xFF]));
        byte[] expected = Bytes(
            (ushort)3,
            "docs", 7L, 3, new byte[] { 1, 2, 3 },
            "é", -1L, 0,
            "x", long.MaxValue, 1, new byte[] { 0xFF });
        Assert.Equal([3, 0, 4, 0, (byte)'d'], expected[..5]); // the helper's own layout, checked against the document once

        Assert.Equal(expected, Encode(record));
        AssertSameRecord(record, TransactionRecord.Decode(expected));
    }

    [Fact]
    public void A_record_of_no_parts_is_two_bytes()
    {
        Assert.Equal(new byte[] { 0, 0 }, Encode(Record()));
        Assert.Empty(TransactionRecord.Decode(new byte[] { 0, 0 }).Parts);
    }

    [Fact]
    public void Encoding_clears_the_buffer_first()
    {
        var buffer = new BinaryBuffer();
        Record(("a", 1, [9, 9, 9, 9])).Encode(buffer);
        Record(("b", 2, [5])).Encode(buffer);
        Assert.Equal(Bytes((ushort)1, "b", 2L, 1, new byte[] { 5 }), buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void A_record_of_more_than_65535_parts_is_refused()
    {
        var parts = Enumerable.Range(0, 65536).Select(_ => new TransactionPart("", 1, [])).ToArray();
        Assert.Throws<OverflowException>(() => new TransactionRecord(parts).Encode(new BinaryBuffer()));

        byte[] most = Encode(new TransactionRecord(parts[..65535]));
        Assert.Equal(new byte[] { 0xFF, 0xFF }, most[..2]);
        Assert.Equal(2 + (65535 * (2 + 8 + 4)), most.Length);
    }

    [Fact]
    public void A_part_that_fills_the_rest_exactly_decodes()
    {
        byte[] bytes = Bytes((ushort)1, "c", 3L, 2, new byte[] { 7, 8 });
        TransactionRecord record = TransactionRecord.Decode(bytes);
        AssertSameRecord(Record(("c", 3, [7, 8])), record);
    }

    [Theory]
    [InlineData(-1, "part 0 claims -1 bytes, 2 remain")]
    [InlineData(3, "part 0 claims 3 bytes, 2 remain")]
    [InlineData(int.MinValue, "part 0 claims -2147483648 bytes, 2 remain")]
    public void A_part_length_outside_the_record_is_a_format_error(int length, string message)
    {
        byte[] bytes = Bytes((ushort)1, "c", 3L, length, new byte[] { 7, 8 });
        var ex = Assert.Throws<FormatException>(() => TransactionRecord.Decode(bytes));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void The_second_part_is_named_in_its_error()
    {
        byte[] bytes = Bytes((ushort)2, "a", 1L, 0, "b", 2L, 5, new byte[] { 1 });
        Assert.Equal("part 1 claims 5 bytes, 1 remain", Assert.Throws<FormatException>(() => TransactionRecord.Decode(bytes)).Message);
    }

    [Fact]
    public void Bytes_after_the_last_part_are_a_format_error()
    {
        byte[] bytes = Bytes((ushort)1, "c", 3L, 1, new byte[] { 7, 8, 9 });
        Assert.Equal("2 bytes follow the last part", Assert.Throws<FormatException>(() => TransactionRecord.Decode(bytes)).Message);
        Assert.Equal("1 bytes follow the last part", Assert.Throws<FormatException>(() => TransactionRecord.Decode(new byte[] { 0, 0, 0 })).Message);
    }

    [Fact]
    public void A_record_cut_short_is_a_format_error()
    {
        byte[] whole = Bytes((ushort)2, "a", 1L, 0, "b", 2L, 1, new byte[] { 1 });
        for (int cut = 0; cut < whole.Length; cut++)
        {
            Assert.Throws<FormatException>(() => TransactionRecord.Decode(whole.AsSpan(0, cut)));
        }
    }

    [Fact]
    public void The_log_is_named_transactions_vlwal_in_the_database_directory()
    {
        Assert.Equal("transactions.vlwal", TransactionLog.FileName);
        Assert.Equal(Path.Combine("/db", "transactions.vlwal"), TransactionLog.PathIn("/db"));
    }

    [Fact]
    public void Opening_for_commits_creates_the_log_atomically_when_missing()
    {
        using (TransactionLog log = TransactionLog.OpenForCommits(_storage, _dir.FullName))
        {
            Assert.True(log.IsEmpty);
        }
        Assert.Equal(WalFrames.FileHeader(), File.ReadAllBytes(LogPath));
        Assert.Equal(
            ["Create transactions.vlwal.tmp", "Write transactions.vlwal.tmp", "SyncFile transactions.vlwal.tmp", "Move transactions.vlwal.tmp",
             $"SyncDirectory {_dir.Name}", "OpenForWrite transactions.vlwal", "SyncFile transactions.vlwal"],
            _storage.Log.Select(op => $"{op.Kind} {Path.GetFileName(op.Path)}"));
    }

    [Fact]
    public void Opening_an_existing_log_keeps_it()
    {
        File.WriteAllBytes(LogPath, WalFrames.FileHeader());
        using (TransactionLog log = TransactionLog.OpenForCommits(_storage, _dir.FullName))
        {
            Assert.True(log.IsEmpty);
        }
        Assert.Equal(["OpenForWrite", "SyncFile"], _storage.Log.Select(op => op.Kind.ToString()));
    }

    [Fact]
    public void Commits_are_frames_numbered_from_1_each_written_and_fsynced()
    {
        TransactionRecord first = Record(("a", 10, [1, 2]));
        TransactionRecord second = Record(("a", 11, [3]), ("b", 4, [4, 5, 6]));
        using TransactionLog log = TransactionLog.OpenForCommits(FileSystemStorage.Instance, _dir.FullName);

        log.Commit(first);
        Assert.False(log.IsEmpty);
        log.Commit(second);

        byte[] firstBytes = Bytes((ushort)1, "a", 10L, 2, new byte[] { 1, 2 });
        byte[] secondBytes = Bytes((ushort)2, "a", 11L, 1, new byte[] { 3 }, "b", 4L, 3, new byte[] { 4, 5, 6 });
        Assert.Equal(WalFrames.Log(WalFrames.Build(1, firstBytes, syncedLsn: 0), WalFrames.Build(2, secondBytes, syncedLsn: 1)), File.ReadAllBytes(LogPath));

        List<TransactionRecord> read = TransactionLog.ReadCommitted(_dir.FullName);
        Assert.Equal(2, read.Count);
        AssertSameRecord(first, read[0]);
        AssertSameRecord(second, read[1]);
    }

    [Fact]
    public void A_commit_is_one_write_and_one_fsync()
    {
        using TransactionLog log = TransactionLog.OpenForCommits(_storage, _dir.FullName);
        int from = _storage.OperationCount;
        log.Commit(Record(("a", 1, [1])));
        Assert.Equal(["Write", "SyncFile"], _storage.Log.Skip(from).Select(op => op.Kind.ToString()));
    }

    [Fact]
    public void Clearing_empties_the_log_and_numbers_the_next_commit_1_again()
    {
        using (TransactionLog log = TransactionLog.OpenForCommits(FileSystemStorage.Instance, _dir.FullName))
        {
            log.Commit(Record(("a", 1, [1])));
            log.Commit(Record(("a", 2, [2])));
            log.Clear();
            Assert.True(log.IsEmpty);
            Assert.Empty(TransactionLog.ReadCommitted(_dir.FullName));

            log.Commit(Record(("b", 9, [9])));
        }
        byte[] log2 = File.ReadAllBytes(LogPath);
        List<long> offsets = WalFrames.Offsets(log2);
        Assert.Equal(1, WalFrames.LsnAt(log2, Assert.Single(offsets)));
        AssertSameRecord(Record(("b", 9, [9])), Assert.Single(TransactionLog.ReadCommitted(_dir.FullName)));
    }

    [Fact]
    public void Disposing_closes_the_file()
    {
        TransactionLog log = TransactionLog.OpenForCommits(FileSystemStorage.Instance, _dir.FullName);
        log.Dispose();
        // The writer's handle takes a shared lock (.NET's flock on Linux): an exclusive open succeeds only once it is closed.
        using var exclusive = new FileStream(LogPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
    }

    [Fact]
    public void No_log_reads_as_no_transactions()
    {
        Assert.Empty(TransactionLog.ReadCommitted(_dir.FullName));
        Assert.False(File.Exists(LogPath));
    }

    [Fact]
    public void A_torn_last_record_is_not_committed()
    {
        byte[] record = Bytes((ushort)1, "a", 1L, 1, new byte[] { 1 });
        byte[] torn = WalFrames.Build(2, Bytes((ushort)1, "a", 2L, 1, new byte[] { 2 }));
        File.WriteAllBytes(LogPath, [.. WalFrames.Log(WalFrames.Build(1, record)), .. torn[..^1]]);

        AssertSameRecord(Record(("a", 1, [1])), Assert.Single(TransactionLog.ReadCommitted(_dir.FullName)));
    }

    [Fact]
    public void A_record_that_passed_its_checksum_but_does_not_decode_is_corruption_at_its_frame()
    {
        byte[] good = Bytes((ushort)1, "a", 1L, 1, new byte[] { 1 });
        byte[] bad = Bytes((ushort)1, "a", 2L, 5, new byte[] { 2 });
        File.WriteAllBytes(LogPath, WalFrames.Log(WalFrames.Build(1, good), WalFrames.Build(2, bad)));

        var ex = Assert.Throws<CorruptFileException>(() => TransactionLog.ReadCommitted(_dir.FullName));
        Assert.Equal(LogPath, ex.FilePath);
        Assert.Equal(32 + 24 + good.Length, ex.Offset);
        Assert.Equal("transaction 2 passed its checksum but does not decode (part 0 claims 5 bytes, 1 remain)", ex.Problem);
        Assert.IsType<FormatException>(ex.InnerException);
    }

    [Fact]
    public void Damage_followed_by_an_intact_record_is_corruption_not_salvaged()
    {
        byte[] first = WalFrames.Build(1, Bytes((ushort)1, "a", 1L, 1, new byte[] { 1 }));
        byte[] second = WalFrames.Build(2, Bytes((ushort)1, "a", 2L, 1, new byte[] { 2 }));
        first[^1] ^= 0x40; // the first record's last batch byte: its checksum fails, the second stays intact
        File.WriteAllBytes(LogPath, WalFrames.Log(first, second));

        var ex = Assert.Throws<CorruptFileException>(() => TransactionLog.ReadCommitted(_dir.FullName));
        Assert.Equal(32, ex.Offset);
    }
}
