using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VectLite.Cli.Formats;

/// <summary>
/// The header of a NumPy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): the magic <c>\x93NUMPY</c>, the
/// version, the header length (uint16 in 1.0, uint32 after), then a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (1000, 128), }</c> padded with spaces and a newline so
/// the data starts at a multiple of 64 bytes. The data follows in C (row-major) order.
/// </summary>
/// <remarks>
/// The tool reads and writes what vectors need: 2-D little-endian float32 (<c>&lt;f4</c>) matrices, plus 1-D integer
/// id arrays (<c>&lt;i8</c>, <c>&lt;u8</c>, <c>&lt;i4</c>, <c>&lt;u4</c>) for the ids companion file. Big-endian,
/// Fortran order, object arrays and other types are refused by name rather than misread.
/// </remarks>
internal sealed partial record NpyFile(string Descr, bool FortranOrder, long[] Shape, long DataOffset)
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The bytes the header takes when written by <see cref="WriteHeader"/>: fixed, so a writer can
    /// rewrite it in place once it knows the row count.</summary>
    public const int WrittenHeaderBytes = 128;

    /// <summary>Reads and checks the header.</summary>
    /// <exception cref="CliUsageException">Not an .npy file, or a header the tool cannot read; the message says which.</exception>
    public static NpyFile ReadHeader(Stream stream, string path)
    {
        Span<byte> prefix = stackalloc byte[12];
        int read = stream.ReadAtLeast(prefix, 10, throwOnEndOfStream: false);
        if (read < 10 || !prefix[..6].SequenceEqual(Magic))
        {
            throw new CliUsageException($"'{path}' is not an .npy file (no \\x93NUMPY magic).");
        }
        byte major = prefix[6];
        int headerLength, start;
        if (major == 1)
        {
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..]);
            start = 10;
        }
        else if (major is 2 or 3)
        {
            if (read < 12)
            {
                throw new CliUsageException($"'{path}': the .npy header is cut short.");
            }
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(prefix[8..]));
            start = 12;
        }
        else
        {
            throw new CliUsageException($"'{path}': .npy format version {major}.{prefix[7]} is not 1, 2 or 3.");
        }
        if (headerLength > 1 << 20)
        {
            throw new CliUsageException($"'{path}': the .npy header claims {headerLength:N0} bytes; not an .npy file?");
        }
        byte[] header = new byte[headerLength];
        int have = read - start;
        prefix[start..read].CopyTo(header);
        if (stream.ReadAtLeast(header.AsSpan(have), headerLength - have, throwOnEndOfStream: false) < headerLength - have)
        {
            throw new CliUsageException($"'{path}': the .npy header is cut short.");
        }
        string text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(header);
        Match descr = DescrPattern().Match(text), fortran = FortranPattern().Match(text), shape = ShapePattern().Match(text);
        if (!descr.Success || !fortran.Success || !shape.Success)
        {
            throw new CliUsageException($"'{path}': the .npy header '{text.Trim()}' lacks descr, fortran_order or shape.");
        }
        long[] dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : throw new CliUsageException($"'{path}': the .npy shape '({shape.Groups[1].Value})' is not a tuple of sizes."))
            .ToArray();
        return new NpyFile(descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims, start + headerLength);
    }

    /// <summary>Writes a version 1.0 header for a 2-D float32 matrix, padded to <see cref="WrittenHeaderBytes"/>.</summary>
    public static void WriteHeader(Stream stream, long rows, int columns)
    {
        string dict = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows.ToString(CultureInfo.InvariantCulture)}, {columns.ToString(CultureInfo.InvariantCulture)}), }}";
        int headerLength = WrittenHeaderBytes - 10;
        if (dict.Length + 1 > headerLength)
        {
            throw new InvalidOperationException("the .npy shape does not fit the fixed header");
        }
        Span<byte> bytes = stackalloc byte[WrittenHeaderBytes];
        Magic.CopyTo(bytes);
        bytes[6] = 1;
        bytes[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[8..], (ushort)headerLength);
        bytes[10..].Fill((byte)' ');
        Encoding.ASCII.GetBytes(dict, bytes[10..]);
        bytes[^1] = (byte)'\n';
        stream.Write(bytes);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
