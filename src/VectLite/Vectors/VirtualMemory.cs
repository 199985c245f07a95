using System.Runtime.InteropServices;

namespace VectLite.Vectors;

/// <summary>
/// The operating system's virtual memory calls the vector store uses directly: madvise(2), hints about how a range will
/// be used, and on Linux anonymous mmap(2) and munmap(2). Called on Linux (madvise also on macOS) only: libc has no such
/// functions on Windows. Advice only: a madvise that fails (a kernel without the feature, or with it turned off) leaves
/// the kernel's default, which holds the same bytes, so callers ignore its result.
/// </summary>
internal static partial class VirtualMemory
{
    /// <summary>MADV_RANDOM: a page fault reads the page it needs, not a read-ahead window (the same value on Linux and macOS).</summary>
    internal const int Random = 1;

    /// <summary>MADV_HUGEPAGE (Linux): back the range with transparent huge pages where the kernel allows them only on request.</summary>
    internal const int HugePage = 14;

    /// <summary>PROT_READ | PROT_WRITE.</summary>
    private const int ReadWrite = 0x1 | 0x2;

    /// <summary>MAP_PRIVATE | MAP_ANONYMOUS (Linux, x64 and arm64).</summary>
    private const int PrivateAnonymous = 0x02 | 0x20;

    /// <summary>Gives <paramref name="advice"/> for <paramref name="length"/> bytes from <paramref name="address"/> (page-aligned); returns 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    internal static partial int Advise(nint address, nuint length, int advice);

    /// <summary>Maps <paramref name="length"/> bytes of zeroed private memory (Linux); null when the kernel refuses.</summary>
    internal static nint MapAnonymous(nuint length)
    {
        nint address = Mmap(0, length, ReadWrite, PrivateAnonymous, -1, 0);
        return address == -1 ? 0 : address;
    }

    /// <summary>Unmaps <paramref name="length"/> bytes from <paramref name="address"/> (page-aligned; Linux).</summary>
    internal static void Unmap(nint address, nuint length) => _ = Munmap(address, length);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    private static partial nint Mmap(nint address, nuint length, int protection, int flags, int descriptor, nint offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    private static partial int Munmap(nint address, nuint length);
}
