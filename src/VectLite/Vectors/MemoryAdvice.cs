using System.Runtime.InteropServices;

namespace VectLite.Vectors;

/// <summary>
/// madvise(2): hints to the kernel about how a range of memory will be used. Called on Linux and macOS only (libc has
/// no such function on Windows). Advice only: a call that fails (a kernel without the feature, or with it turned off)
/// leaves the kernel's default, which holds the same bytes, so callers ignore the result.
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
