using System.IO.Hashing;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The small write paths checkpoint files and backups go through: the buffered append stream (which writes reach the
/// file when, and at which offset), the checksumming pass-through, the growable encode buffer and the backup's prefix
/// copy. A recording file stands in for the device where the calls themselves are what is checked.
/// </summary>
public sealed class StorageStreamTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-streams-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>Records each call and keeps the bytes at their offsets.</summary>
    private sealed class RecordingFile : IStorageFile
    {
        public List<string> Calls { get; } = [];

        public byte[] Content { get; private set; } = [];

        public string Path => "recorded";

        public long Length => Content.Length;

        public void Write(ReadOnlySpan<byte> bytes, long offset)
        {
            Calls.Add($"write {bytes.Length}@{offset}");
            if (Content.Length < offset + bytes.Length)
            {
                byte[] grown = new byte[offset + bytes.Length];
                Content.CopyTo(grown, 0);
                Content = grown;
            }
            bytes.CopyTo(Content.AsSpan((int)offset));
        }

        public void SetLength(long length) => Calls.Add($"setlength {length}");

        public void Sync() => Calls.Add("sync");

        public void Dispose() => Calls.Add("dispose");
    }

    private static byte[] Seq(int count, int start = 0) => Enumerable.Range(start, count).Select(i => (byte)i).ToArray();

    [Fact]
    public void The_write_stream_buffers_small_writes_and_writes_ones_of_the_buffers_size_directly()
    {
        var file = new RecordingFile();
        var stream = new StorageWriteStream(file, bufferSize: 8);

        stream.Write(Seq(3));          // buffered: 3
        stream.Write(Seq(5, 3));       // fills the buffer exactly: 8, still buffered
        Assert.Empty(file.Calls);
        Assert.Equal(8L, stream.Length);
        stream.WriteByte(8);           // does not fit: the 8 go out, 1 buffered
        Assert.Equal(["write 8@0"], file.Calls);
        stream.Write(Seq(8, 9));       // the buffer's size: the 1 buffered, then these 8 directly
        Assert.Equal(["write 8@0", "write 1@8", "write 8@9"], file.Calls);
        Assert.Equal((17L, 17L), (stream.Length, stream.Position));
        stream.Flush();                // nothing buffered: no call
        stream.Write(Seq(2, 17));
        stream.Sync();                 // flush, then fsync
        Assert.Equal(["write 8@0", "write 1@8", "write 8@9", "write 2@17", "sync"], file.Calls);
        Assert.Equal(Seq(19), file.Content);
        stream.Dispose();
        Assert.Equal("dispose", file.Calls[^1]);
        Assert.Equal("A storage write stream only appends.", Assert.Throws<NotSupportedException>(() => stream.Position = 0).Message);
        Assert.Equal((false, false, true), (stream.CanRead, stream.CanSeek, stream.CanWrite));
    }

    [Fact]
    public void Disposing_the_write_stream_abandons_what_is_buffered()
    {
        var file = new RecordingFile();
        using (var stream = new StorageWriteStream(file, bufferSize: 8))
        {
            stream.Write(Seq(3));
        }
        Assert.Equal(["dispose"], file.Calls);
        Assert.Empty(file.Content);
    }

    [Fact]
    public void The_checksumming_stream_passes_bytes_on_and_counts_their_length_and_crc32c()
    {
        using var inner = new MemoryStream();
        using var stream = new ChecksummingStream(inner);
        stream.Write(Seq(5), 1, 3);
        stream.WriteByte(200);
        stream.Write(Seq(300));

        byte[] expected = [1, 2, 3, 200, .. Seq(300)];
        Assert.Equal(expected, inner.ToArray());
        Assert.Equal((304L, 304L), (stream.Length, stream.Position));
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(expected);
        Assert.Equal(crc.GetCurrentHashAsUInt32(), stream.Crc);
        Assert.Equal((false, false, true), (stream.CanRead, stream.CanSeek, stream.CanWrite));
        Assert.Equal("A checksumming stream only appends.", Assert.Throws<NotSupportedException>(() => stream.Position = 0).Message);
    }

    [Fact]
    public void The_encode_buffer_grows_to_hold_every_value_little_endian()
    {
        var buffer = new BinaryBuffer(initialCapacity: 2);
        buffer.WriteByte(0xAB);
        buffer.WriteUInt16(0x0102);
        int at = buffer.ReserveInt32();
        buffer.WriteUInt32(0x03040506);
        buffer.WriteInt64(-2);
        buffer.WriteUInt64(0x0708090A0B0C0D0E);
        buffer.WriteShortString("hé");
        buffer.WriteFloats([1f]);
        buffer.PatchInt32(at, -3);
        Assert.Equal(3, at);

        byte[] expected =
        [
            0xAB, 0x02, 0x01, 0xFD, 0xFF, 0xFF, 0xFF, 0x06, 0x05, 0x04, 0x03,
            0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07,
            0x03, 0x00, (byte)'h', 0xC3, 0xA9,
            0x00, 0x00, 0x80, 0x3F,
        ];
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
        Assert.Equal(36, buffer.Length);
        buffer.PatchUInt32(0, 0xFFFFFFFF);
        Assert.Equal(0xFF, buffer.WrittenSpan[3]);
        buffer.Clear();
        Assert.Equal(0, buffer.Length);
    }

    [Fact]
    public void A_short_string_of_more_than_65535_utf8_bytes_is_refused()
    {
        var buffer = new BinaryBuffer();
        buffer.WriteShortString(new string('a', 65535)); // the limit itself fits
        Assert.Equal(65537, buffer.Length);
        var ex = Assert.Throws<InvalidRecordException>(() => buffer.WriteShortString(new string('é', 32768)));
        Assert.Equal("A name or id of 65536 UTF-8 bytes exceeds the limit of 65535.", ex.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData((1 << 20) + 7)] // more than one 1 MiB chunk
    public void A_prefix_copy_holds_exactly_the_first_bytes_fsynced_and_returns_their_crc32c(int length)
    {
        string source = Path.Combine(_dir.FullName, "source");
        string target = Path.Combine(_dir.FullName, "target");
        byte[] content = new byte[length + 100];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(source, content);
        var storage = new FaultInjectingStorage(FileSystemStorage.Instance);

        uint crc = FileCopy.CopyPrefix(storage, source, target, length, CancellationToken.None);

        Assert.Equal(content[..length], File.ReadAllBytes(target));
        var expected = new Crc32(Crc32ParameterSet.Crc32C);
        expected.Append(content.AsSpan(0, length));
        Assert.Equal(expected.GetCurrentHashAsUInt32(), crc);
        Assert.Equal(1, storage.FileSyncs("target"));
    }

    [Fact]
    public void A_prefix_copy_of_a_source_shorter_than_asked_is_a_storage_error()
    {
        string source = Path.Combine(_dir.FullName, "source");
        File.WriteAllBytes(source, Seq(10));
        var ex = Assert.Throws<StorageException>(() =>
            FileCopy.CopyPrefix(FileSystemStorage.Instance, source, Path.Combine(_dir.FullName, "target"), 11, CancellationToken.None));
        Assert.Equal("the file ended at byte 10, before the 11 bytes to copy", ex.InnerException!.Message);
        Assert.Equal("back up", ex.Operation);
    }

    [Fact]
    public void A_prefix_copy_reads_a_file_a_writer_holds_open()
    {
        string source = Path.Combine(_dir.FullName, "source");
        using var writer = new FileStream(source, FileMode.Create, FileAccess.ReadWrite, FileShare.Read); // as the log's writer holds it
        writer.Write(Seq(10));
        writer.Flush();
        FileCopy.CopyPrefix(FileSystemStorage.Instance, source, Path.Combine(_dir.FullName, "target"), 10, CancellationToken.None);
        Assert.Equal(Seq(10), File.ReadAllBytes(Path.Combine(_dir.FullName, "target")));
    }

    [Fact]
    public void A_prefix_copy_of_a_missing_source_is_a_storage_error_and_a_cancelled_one_stops()
    {
        var missing = Assert.Throws<StorageException>(() =>
            FileCopy.CopyPrefix(FileSystemStorage.Instance, Path.Combine(_dir.FullName, "none"), Path.Combine(_dir.FullName, "target"), 1, CancellationToken.None));
        Assert.Equal("back up", missing.Operation);
        Assert.IsType<FileNotFoundException>(missing.InnerException);

        string source = Path.Combine(_dir.FullName, "source");
        File.WriteAllBytes(source, Seq(10));
        Assert.Throws<OperationCanceledException>(() =>
            FileCopy.CopyPrefix(FileSystemStorage.Instance, source, Path.Combine(_dir.FullName, "target2"), 10, new CancellationToken(canceled: true)));
    }
}
