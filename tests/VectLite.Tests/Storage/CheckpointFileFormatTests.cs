using System.Buffers.Binary;
using System.IO.Hashing;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The 32-byte header every checkpoint data file starts with (docs/file-format.md: magic u64, version u32, a
/// format-specific u32, a count i64, 4 reserved bytes, CRC32C of bytes 0..28) and the checks the reader makes against
/// it and against the manifest's length and whole-file CRC32C. The files are built here byte by byte and checksummed
/// with System.IO.Hashing, so the tests do not trust the writer or the reader they check; each damage is made with
/// every other field right, so one check cannot stand in for another.
/// </summary>
public sealed class CheckpointFileFormatTests : IDisposable
{
    private const ulong RecordsMagic = 0x3130534345524C56;  // "VLRECS01"
    private const ulong VectorsMagic = 0x3130534345564C56;  // "VLVECS01"
    private const ulong GraphMagic = 0x313057534E484C56;    // "VLHNSW01"

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-ckfile-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static uint Crc32C(ReadOnlySpan<byte> bytes)
    {
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(bytes);
        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>A header as docs/file-format.md lays it out, sealed with its checksum, then <paramref name="body"/>.</summary>
    private static byte[] File(ulong magic, uint version, uint field1, long count, ReadOnlySpan<byte> body)
    {
        var bytes = new byte[32 + body.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), field1);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(16), count);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), Crc32C(bytes.AsSpan(0, 28)));
        body.CopyTo(bytes.AsSpan(32));
        return bytes;
    }

    private static readonly byte[] Body = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>Writes <paramref name="bytes"/> as "f.vlrec" and returns the manifest entry that matches it.</summary>
    private CheckpointFile Put(byte[] bytes)
    {
        System.IO.File.WriteAllBytes(Path.Combine(_dir.FullName, "f.vlrec"), bytes);
        return new CheckpointFile("f.vlrec", bytes.Length, Crc32C(bytes));
    }

    private CorruptFileException Open(CheckpointFile expected, ulong magic = RecordsMagic)
    {
        var ex = Assert.Throws<CorruptFileException>(() => new CheckpointFileReader(_dir.FullName, expected, magic).Dispose());
        Assert.Equal(Path.Combine(_dir.FullName, "f.vlrec"), ex.FilePath);
        return ex;
    }

    [Fact]
    public void The_writer_lays_out_the_header_and_reports_the_length_and_crc_of_every_byte()
    {
        CheckpointFile entry;
        using (var writer = new CheckpointFileWriter(FileSystemStorage.Instance, _dir.FullName, "f.vlrec", RecordsMagic, field1: 7, count: 3))
        {
            writer.Write(Body.AsSpan(0, 2));
            writer.WriteFloats([BitConverter.Int32BitsToSingle(0x06050403)]);
            writer.Write(Body.AsSpan(6));
            entry = writer.Complete();
        }

        byte[] expected = File(RecordsMagic, 1, 7, 3, Body);
        Assert.Equal(expected, System.IO.File.ReadAllBytes(Path.Combine(_dir.FullName, "f.vlrec.tmp")));
        Assert.Equal(new CheckpointFile("f.vlrec", 42, Crc32C(expected)), entry);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_whole_file_reads_back_its_header_fields_and_body_and_verifies(bool opened)
    {
        CheckpointFile entry = Put(File(RecordsMagic, 2, 7, 3, Body));
        FileStream? stream = opened ? new FileStream(Path.Combine(_dir.FullName, "f.vlrec"), FileMode.Open, FileAccess.Read) : null;
        using var reader = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic, stream);

        Assert.Equal((2u, 7u, 3L, 32L, 10L), (reader.Version, reader.Field1, reader.Count, reader.Position, reader.Remaining));
        var body = new byte[10];
        reader.Read(body); // exactly what remains
        Assert.Equal(Body, body);
        Assert.Equal((42L, 0L), (reader.Position, reader.Remaining));
        reader.Verify();
    }

    [Fact]
    public void A_missing_file_is_damage_naming_it()
    {
        CorruptFileException ex = Open(new CheckpointFile("f.vlrec", 42, 0));
        Assert.Equal((-1L, "the file the checkpoint manifest lists is missing"), (ex.Offset, ex.Problem));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void A_length_other_than_the_manifests_is_damage(int change)
    {
        CheckpointFile entry = Put(File(RecordsMagic, 1, 7, 3, Body));
        CorruptFileException ex = Open(entry with { Length = 42 + change });
        Assert.Equal((-1L, $"it is 42 bytes, the checkpoint manifest says {42 + change}"), (ex.Offset, ex.Problem));
    }

    [Fact]
    public void Another_formats_magic_is_damage_at_offset_0()
    {
        CheckpointFile entry = Put(File(RecordsMagic, 1, 7, 3, Body));
        CorruptFileException ex = Open(entry, VectorsMagic);
        Assert.Equal((0L, "bad magic number"), (ex.Offset, ex.Problem));
    }

    [Theory]
    [InlineData(12)] // field1
    [InlineData(24)] // a reserved byte
    [InlineData(28)] // the checksum itself
    public void A_changed_header_byte_is_a_checksum_mismatch_at_offset_28(int at)
    {
        byte[] bytes = File(RecordsMagic, 1, 7, 3, Body);
        bytes[at] ^= 0x40;
        CorruptFileException ex = Open(Put(bytes));
        Assert.Equal((28L, "header checksum mismatch"), (ex.Offset, ex.Problem));
    }

    [Theory]
    [InlineData(RecordsMagic, 1u, true)]
    [InlineData(RecordsMagic, 2u, true)]   // sparse records
    [InlineData(RecordsMagic, 3u, false)]
    [InlineData(RecordsMagic, 0u, false)]
    [InlineData(VectorsMagic, 2u, true)]   // mapped vectors
    [InlineData(VectorsMagic, 3u, false)]
    [InlineData(GraphMagic, 1u, true)]
    [InlineData(GraphMagic, 2u, false)]
    public void Only_the_versions_each_format_has_are_read(ulong magic, uint version, bool known)
    {
        CheckpointFile entry = Put(File(magic, version, 7, 3, Body));
        if (known)
        {
            using var reader = new CheckpointFileReader(_dir.FullName, entry, magic);
            Assert.Equal(version, reader.Version);
            return;
        }
        CorruptFileException ex = Open(entry, magic);
        Assert.Equal((8L, $"unsupported format version {version}"), (ex.Offset, ex.Problem));
    }

    [Fact]
    public void A_read_past_the_manifests_length_is_damage_at_the_position()
    {
        CheckpointFile entry = Put(File(RecordsMagic, 1, 7, 3, Body));
        using var reader = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic);
        reader.Read(new byte[4]);
        var ex = Assert.Throws<CorruptFileException>(() => reader.Read(new byte[7]));
        Assert.Equal((36L, "needed 7 bytes, only 6 remain"), (ex.Offset, ex.Problem));
    }

    [Fact]
    public void Bytes_left_unread_fail_the_verify_at_the_position()
    {
        CheckpointFile entry = Put(File(RecordsMagic, 1, 7, 3, Body));
        using var reader = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic);
        reader.Read(new byte[9]);
        var ex = Assert.Throws<CorruptFileException>(reader.Verify);
        Assert.Equal((41L, "1 unexpected bytes after the last entry"), (ex.Offset, ex.Problem));
    }

    [Fact]
    public void A_body_other_than_the_manifests_checksum_fails_the_verify()
    {
        byte[] bytes = File(RecordsMagic, 1, 7, 3, Body);
        CheckpointFile entry = Put(bytes);
        bytes[40] ^= 1; // same length, header intact
        System.IO.File.WriteAllBytes(Path.Combine(_dir.FullName, "f.vlrec"), bytes);
        using var reader = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic);
        reader.Read(new byte[10]);
        var ex = Assert.Throws<CorruptFileException>(reader.Verify);
        Assert.Equal((-1L, "checksum mismatch: the content differs from what the checkpoint wrote"), (ex.Offset, ex.Problem));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(256)]
    [InlineData(600)]
    public void Skipped_padding_is_consumed_and_checksummed(int padding)
    {
        byte[] body = new byte[padding + 1];
        body[^1] = 9;
        byte[] bytes = File(VectorsMagic, 2, 7, 3, body);
        CheckpointFile entry = Put(bytes);
        using (var reader = new CheckpointFileReader(_dir.FullName, entry, VectorsMagic))
        {
            reader.Skip(padding);
            Assert.Equal(32L + padding, reader.Position);
            var last = new byte[1];
            reader.Read(last);
            Assert.Equal(9, last[0]);
            reader.Verify();
        }

        // A changed padding byte (the first skipped) must fail the whole-file checksum: skipping still checksums.
        bytes[32] = 1;
        System.IO.File.WriteAllBytes(Path.Combine(_dir.FullName, "f.vlrec"), bytes);
        using var damaged = new CheckpointFileReader(_dir.FullName, entry, VectorsMagic);
        damaged.Skip(padding);
        damaged.Read(new byte[1]);
        Assert.Equal(-1L, Assert.Throws<CorruptFileException>(damaged.Verify).Offset);
    }

    [Fact]
    public void A_stream_opened_before_the_file_was_deleted_is_read_not_the_path()
    {
        CheckpointFile entry = Put(File(RecordsMagic, 1, 7, 3, Body));
        var stream = new FileStream(Path.Combine(_dir.FullName, "f.vlrec"), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        System.IO.File.Delete(Path.Combine(_dir.FullName, "f.vlrec")); // a writer's clean-up after a newer checkpoint
        using var reader = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic, stream);
        reader.Read(new byte[10]);
        reader.Verify();
    }

    [Fact]
    public void Two_readers_may_read_one_file_at_once()
    {
        CheckpointFile entry = Put(File(RecordsMagic, 1, 7, 3, Body));
        using var first = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic);
        using var second = new CheckpointFileReader(_dir.FullName, entry, RecordsMagic);
        first.Read(new byte[10]);
        second.Read(new byte[10]);
        first.Verify();
        second.Verify();
    }
}
