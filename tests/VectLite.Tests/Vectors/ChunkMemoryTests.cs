using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using VectLite.Vectors;

namespace VectLite.Tests.Vectors;

/// <summary>
/// The arena's chunks: from an arena's second chunk on, a chunk of at least a huge page starts on one and, on Linux,
/// its whole huge pages (not its tail) are advised to be backed by transparent huge pages; the first chunk (a small
/// collection's only one) and a chunk smaller than a huge page keep the 64-byte alignment and no advice. The advice is
/// read back from the kernel (/proc/self/smaps), not from the code that gave it.
/// </summary>
public sealed class ChunkMemoryTests
{
    private const int HugePage = 2 << 20;

    [Fact]
    public void The_second_chunk_of_784_d_rows_starts_on_a_huge_page_and_only_its_whole_huge_pages_are_advised()
    {
        using var arena = new VectorArena(784); // 2,048 rows of 3,136 bytes a chunk: 6,422,528 bytes, three huge pages and a tail
        Assert.Equal(2048, arena.RowsPerChunk);
        arena.EnsureCapacity(2049);
        nint first = AddressOf(arena.GetChunk(0));
        nint second = AddressOf(arena.GetChunk(1));
        Assert.Equal(0, first % VectorArena.Alignment);
        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal(0, second % VectorArena.Alignment);
            return;
        }

        Assert.Equal(0, second % HugePage);
        string mode = TransparentHugePageMode();
        if (mode == "never")
        {
            return; // the kernel refuses huge pages whatever the advice: nothing to read back
        }
        Assert.True(Eligible(second), "the second chunk's first huge page is not eligible for transparent huge pages");
        Assert.True(Eligible(second + (3 * HugePage) - 1), "the second chunk's third huge page is not eligible");
        if (mode == "madvise")
        {
            // Only what was advised: the tail past the third huge page stays in 4 KiB pages, and so does the first chunk.
            Assert.False(Eligible(second + (3 * HugePage)), "the chunk's tail was advised too: a huge page would reach past the chunk");
            Assert.False(Eligible(first), "the first chunk was advised: a collection of a few rows would hold 2 MiB for them");
        }
    }

    [Fact]
    public void A_chunk_smaller_than_a_huge_page_is_not_advised()
    {
        using var arena = new VectorArena(16, 1024); // 64 KiB chunks
        arena.EnsureCapacity(1025);
        nint start = AddressOf(arena.GetChunk(1));
        Assert.Equal(0, start % VectorArena.Alignment);
        if (OperatingSystem.IsLinux() && TransparentHugePageMode() == "madvise")
        {
            Assert.False(Eligible(start));
        }
    }

    [Fact]
    public void Memory_malloc_hands_out_after_huge_page_chunks_are_freed_is_not_advised()
    {
        if (!OperatingSystem.IsLinux() || TransparentHugePageMode() != "madvise")
        {
            return; // only "madvise" tells advised memory from the rest
        }

        // Huge-page chunks allocated and freed; then malloc's own small blocks, as much memory as the chunks held. Advised
        // memory taken from malloc would keep its advice once freed, and these blocks would land in it. First a 16 MiB block
        // freed: glibc then serves blocks up to that size from its heap, not from mappings of their own, as it does in a
        // process that has freed large blocks before (the whole test run).
        Marshal.FreeHGlobal(Marshal.AllocHGlobal(16 << 20));
        for (int round = 0; round < 4; round++)
        {
            using var arena = new VectorArena(784);
            arena.EnsureCapacity(4 * 2048);
        }
        var blocks = new List<nint>();
        try
        {
            for (int i = 0; i < 400; i++)
            {
                blocks.Add(Marshal.AllocHGlobal(64 * 1024)); // malloc
            }
            Assert.DoesNotContain(blocks, block => Eligible(block));
        }
        finally
        {
            foreach (nint block in blocks)
            {
                Marshal.FreeHGlobal(block);
            }
        }
    }

    /// <summary>The address a span starts at (its offset from null).</summary>
    private static nint AddressOf(ReadOnlySpan<float> span) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(span));

    /// <summary>The bracketed word of /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never.</summary>
    private static string TransparentHugePageMode()
    {
        string text = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
        int open = text.IndexOf('[', StringComparison.Ordinal);
        return text[(open + 1)..text.IndexOf(']', open)];
    }

    /// <summary>The THPeligible field of the mapping of /proc/self/smaps that holds <paramref name="address"/>.</summary>
    private static bool Eligible(nint address)
    {
        bool inside = false;
        foreach (string line in File.ReadLines("/proc/self/smaps"))
        {
            int dash = line.IndexOf('-', StringComparison.Ordinal);
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && IsHex(line.AsSpan(0, dash)))
            {
                long from = long.Parse(line.AsSpan(0, dash), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                long to = long.Parse(line.AsSpan(dash + 1, space - dash - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                inside = from <= address && address < to;
            }
            else if (inside && line.StartsWith("THPeligible:", StringComparison.Ordinal))
            {
                return line["THPeligible:".Length..].Trim() == "1";
            }
        }
        throw new InvalidOperationException($"No mapping of /proc/self/smaps holds 0x{address:x} or it has no THPeligible field.");
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }
        return text.Length > 0;
    }
}
