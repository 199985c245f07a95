using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace VectLite.Vectors;

/// <summary>
/// The native memory of the vector arena's RAM chunks: 64-byte aligned, and on Linux, for a chunk of at least one huge
/// page that the caller expects to fill (an arena's second chunk on), a mapping of its own aligned to a huge page and
/// advised to be backed by them (<see cref="VirtualMemory.HugePage"/>).
/// </summary>
/// <remarks>
/// <para><b>Why.</b> A chunk is written once, when its rows are applied, and each 4 KiB page of it costs a page fault on
/// that first write. Measured on this project's machine (a VM, where a fault is expensive), applying a batch of 60,000
/// 784-d Fashion-MNIST vectors (188 MB) into a fresh collection took 0.65 s, most of it in those faults, and 0.07-0.10 s
/// on huge pages (docs/tuning.md, "Bulk loads"); a 2 MiB page faults once for 512 of them. Linux's default for
/// transparent huge pages is often "madvise" (only where asked), so the arena asks.</para>
/// <para><b>A mapping of its own.</b> The advice belongs to the address range, not to the allocation: advised memory
/// taken from malloc would keep it once freed, and malloc's later small allocations there would be backed by 2 MiB
/// pages. So such a chunk is its own anonymous mapping (mapped with a huge page to spare, then trimmed to the aligned
/// range) and unmapped when freed; <see cref="Free"/> tells it from a malloc'd chunk by its address.</para>
/// <para><b>Memory.</b> Only the whole huge pages inside the chunk are advised: the chunk's tail (a chunk is a power of
/// two of rows, not a multiple of 2 MiB) keeps 4 KiB pages. A huge page is backed whole at its first write, so an
/// arena's first chunk keeps 4 KiB pages (a collection of a few rows would otherwise hold 2 MiB for them); a large
/// collection's last chunk, partly written, may hold up to 2 MiB it has not filled yet, less than a third of a chunk
/// (4 to 8 MiB).</para>
/// </remarks>
internal static class ChunkMemory
{
    /// <summary>The size of a transparent huge page on x64 and arm64 Linux (with 4 KiB base pages): 2 MiB.</summary>
    internal const int HugePageBytes = 2 << 20;

    /// <summary>The page size mappings are made of.</summary>
    private const int PageBytes = 4096;

    /// <summary>The chunks that are mappings of their own, by address, with their mapped length.</summary>
    private static readonly ConcurrentDictionary<nint, nuint> s_mapped = new();

    /// <summary>
    /// Allocates <paramref name="bytes"/> aligned to at least <paramref name="alignment"/>, on huge pages when
    /// <paramref name="hugePages"/> and the chunk holds one; free it with <see cref="Free"/>.
    /// </summary>
    /// <exception cref="OutOfMemoryException">The allocation failed.</exception>
    internal static unsafe nint Allocate(nuint bytes, int alignment, bool hugePages)
    {
        if (!hugePages || !OperatingSystem.IsLinux() || bytes < HugePageBytes)
        {
            return (nint)NativeMemory.AlignedAlloc(bytes, (nuint)alignment);
        }

        // Map a huge page more than needed, then unmap what lies before the first huge-page boundary and after the chunk.
        nuint length = (bytes + PageBytes - 1) & ~(nuint)(PageBytes - 1);
        nuint spare = length + HugePageBytes;
        nint mapped = VirtualMemory.MapAnonymous(spare);
        if (mapped == 0)
        {
            throw new OutOfMemoryException($"Could not map {spare} bytes for a vector chunk.");
        }
        nint chunk = (mapped + (HugePageBytes - 1)) & ~(nint)(HugePageBytes - 1);
        nuint head = (nuint)(chunk - mapped);
        if (head > 0)
        {
            VirtualMemory.Unmap(mapped, head);
        }
        nuint tail = spare - head - length;
        if (tail > 0)
        {
            VirtualMemory.Unmap(chunk + (nint)length, tail);
        }
        _ = VirtualMemory.Advise(chunk, bytes & ~(nuint)(HugePageBytes - 1), VirtualMemory.HugePage);
        s_mapped[chunk] = length;
        return chunk;
    }

    /// <summary>Frees memory from <see cref="Allocate"/>: unmaps a chunk that is a mapping of its own, gives any other back to malloc.</summary>
    internal static unsafe void Free(nint chunk)
    {
        if (s_mapped.TryRemove(chunk, out nuint length))
        {
            VirtualMemory.Unmap(chunk, length);
            return;
        }
        NativeMemory.AlignedFree((void*)chunk);
    }
}
