using System.Runtime.InteropServices;

namespace VectLite.Vectors;

/// <summary>
/// madvise(2): hints to the kernel about how a range of memory will be used. Advice only: a call that fails (another
/// operating system, a kernel without the feature) leaves the kernel's default, which holds the same bytes.
/// </summary>
internal static partial class MemoryAdvice
{
    /// <summary>MADV_RANDOM: a page fault reads the page it needs, not a read-ahead window (the same value on Linux and macOS).</summary>
    internal const int Random = 1;

    /// <summary>MADV_HUGEPAGE (Linux): back the range with transparent huge pages where the kernel allows them only on request.</summary>
    internal const int HugePage = 14;

    /// <summary>Gives <paramref name="advice"/> for <paramref name="length"/> bytes from <paramref name="address"/> (page-aligned); returns 0 on success.</summary>
    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    internal static partial int Advise(nint address, nuint length, int advice);
}
