using System.Buffers.Binary;
using System.IO.Hashing;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The framing of the database manifest and of each checkpoint manifest (docs/file-format.md: magic u64, version u32,
/// body length u32, UTF-8 JSON body, CRC32C of everything before it): the layout byte for byte, and each way a frame
/// can be wrong, with every other field right so one check cannot stand in for another. Frames are built here and
/// checksummed with System.IO.Hashing, not by the code under test.
/// </summary>
public sealed class ManifestEnvelopeTests : IDisposable
{
    private const ulong Magic = 0x31544E504B434C56; // "VLCKPNT1"

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-envelope-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string FilePath => Path.Combine(_dir.FullName, "checkpoint.vlck");

    private static byte[] Frame(uint version, byte[] body, ulong magic = Magic, int? bodyLength = null)
    {
        var bytes = new byte[16 + body.Length + 4];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), version);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), bodyLength ?? body.Length);
        body.CopyTo(bytes, 16);
        var crc = new Crc32(Crc32ParameterSet.Crc32C);
        crc.Append(bytes.AsSpan(0, 16 + body.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16 + body.Length), crc.GetCurrentHashAsUInt32());
        return bytes;
    }

    private static readonly byte[] Body = "{\"a\":1}"u8.ToArray();

    private CorruptFileException Unwrap(byte[]? file, uint newest = 1)
    {
        if (file is not null)
        {
            File.WriteAllBytes(FilePath, file);
        }
        var ex = Assert.Throws<CorruptFileException>(() => ManifestEnvelope.Unwrap(FilePath, Magic, "checkpoint manifest", newest));
        Assert.Equal(FilePath, ex.FilePath);
        return ex;
    }

    [Fact]
    public void Wrap_lays_out_magic_version_length_body_and_checksum()
    {
        Assert.Equal(Frame(1, Body), ManifestEnvelope.Wrap(Magic, Body));
        Assert.Equal(Frame(3, Body), ManifestEnvelope.Wrap(Magic, Body, 3));
        Assert.Equal(Frame(1, []), ManifestEnvelope.Wrap(Magic, []));
    }

    [Theory]
    [InlineData(1u, 1u)]
    [InlineData(1u, 3u)]
    [InlineData(2u, 3u)]
    [InlineData(3u, 3u)]
    public void Versions_from_1_to_the_newest_unwrap_to_the_body(uint version, uint newest)
    {
        File.WriteAllBytes(FilePath, Frame(version, Body));
        Assert.Equal(Body, ManifestEnvelope.Unwrap(FilePath, Magic, "checkpoint manifest", newest).ToArray());
    }

    [Fact]
    public void The_smallest_frame_twenty_bytes_with_an_empty_body_unwraps()
    {
        File.WriteAllBytes(FilePath, Frame(1, []));
        Assert.Equal(0, ManifestEnvelope.Unwrap(FilePath, Magic, "checkpoint manifest").Length);
    }

    [Fact]
    public void A_missing_file_or_directory_is_named()
    {
        CorruptFileException ex = Unwrap(null);
        Assert.Equal((-1L, "the checkpoint manifest is missing"), (ex.Offset, ex.Problem));

        string inMissingDirectory = Path.Combine(_dir.FullName, "gone", "checkpoint.vlck");
        var dir = Assert.Throws<CorruptFileException>(() => ManifestEnvelope.Unwrap(inMissingDirectory, Magic, "checkpoint manifest"));
        Assert.Equal((-1L, "the checkpoint manifest is missing"), (dir.Offset, dir.Problem));
    }

    [Fact]
    public void Too_short_or_another_magic_is_not_a_manifest()
    {
        CorruptFileException shortFile = Unwrap(Frame(1, [])[..19]);
        Assert.Equal((0L, "not a VectLite checkpoint manifest (bad magic number or too short)"), (shortFile.Offset, shortFile.Problem));

        CorruptFileException magic = Unwrap(Frame(1, Body, magic: 0x314E414D42444C56)); // "VLDBMAN1", checksum right
        Assert.Equal((0L, "not a VectLite checkpoint manifest (bad magic number or too short)"), (magic.Offset, magic.Problem));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(int.MaxValue)]
    public void A_body_length_other_than_the_files_is_damage_at_offset_12(int bodyLength)
    {
        CorruptFileException ex = Unwrap(Frame(1, Body, bodyLength: bodyLength));
        Assert.Equal((12L, $"body length {bodyLength} does not match the file size 27"), (ex.Offset, ex.Problem));
    }

    [Theory]
    [InlineData(0)]   // the magic's first byte, checksum not resealed: the magic check comes first
    [InlineData(9)]   // the version
    [InlineData(20)]  // the body
    [InlineData(26)]  // the checksum
    public void A_changed_byte_is_a_checksum_mismatch_at_the_checksum(int at)
    {
        byte[] frame = Frame(1, Body);
        frame[at] ^= 0x10;
        CorruptFileException ex = Unwrap(frame);
        if (at == 0)
        {
            Assert.Equal(0L, ex.Offset);
            return;
        }
        Assert.Equal((23L, "checksum mismatch"), (ex.Offset, ex.Problem));
    }

    [Theory]
    [InlineData(0u, 1u, "unsupported format version 0 (this build reads version 1)")]
    [InlineData(2u, 1u, "unsupported format version 2 (this build reads version 1)")]
    [InlineData(0u, 3u, "unsupported format version 0 (this build reads versions 1 to 3)")]
    [InlineData(4u, 3u, "unsupported format version 4 (this build reads versions 1 to 3)")]
    public void A_version_outside_1_to_the_newest_is_refused_at_offset_8(uint version, uint newest, string problem)
    {
        CorruptFileException ex = Unwrap(Frame(version, Body), newest);
        Assert.Equal((8L, problem), (ex.Offset, ex.Problem));
    }
}
