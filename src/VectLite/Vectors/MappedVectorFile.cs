using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;

namespace VectLite.Vectors;

/// <summary>
/// A checkpoint's vectors file in the mapped layout (format version 2), mapped read-only into the address space: the rows
/// an arena reads in place instead of holding them in RAM (<see cref="VectorArena.AttachFiles"/>).
/// </summary>
/// <remarks>
/// <para>Layout: the 32-byte checkpoint file header (magic "VLVECS01", version 2, dimension, row count), 32 zero bytes,
/// then every row as <see cref="VectorArena.StrideFor"/> floats (the dimension rounded up to 16, zero padded), so row r
/// starts at byte <c>64 + r x stride x 4</c>: on a 64-byte boundary, since a mapping starts on a page. Consecutive rows are
/// exactly an arena chunk's layout, so a chunk of an arena can point straight into the mapping.</para>
/// <para>The pages are file-backed and never written: the operating system reads them in on first touch and may drop them
/// whenever memory is short, which is what lets a collection outgrow RAM. Disposing unmaps the view and closes the file;
/// on Windows a mapped file cannot be deleted, so the owner deletes an obsolete file only after disposing its mapping
/// (<see cref="DeleteWhenDisposed"/>), and the checkpoint's clean-up skips files still mapped (<see cref="IsMapped"/>).</para>
/// <para>Thread safety: the addresses may be read from any thread until <see cref="Dispose"/>, which the owner calls only
/// once no reader can still use them (<see cref="ReaderEpochs"/>).</para>
/// </remarks>
internal sealed unsafe class MappedVectorFile : IDisposable
{
    /// <summary>Where the first row starts: the 32-byte header and 32 zero bytes, so rows are 64-byte aligned.</summary>
    internal const int DataOffset = 64;

    /// <summary>The full paths of the files mapped in this process, with how many mappings each has.</summary>
    private static readonly ConcurrentDictionary<string, int> Mapped = new(StringComparer.Ordinal);

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;
    private int _disposed;

    private MappedVectorFile(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, int dimension, int rows)
    {
        Path = path;
        _file = file;
        _view = view;
        Dimension = dimension;
        Rows = rows;
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + view.PointerOffset;
        AdviseRandomAccess(pointer, view.SafeMemoryMappedViewHandle.ByteLength);
        Mapped.AddOrUpdate(path, 1, (_, n) => n + 1);
    }

    /// <summary>
    /// Tells the kernel the mapping is read at random (madvise MADV_RANDOM), so a page fault reads the page it needs and
    /// not a read-ahead window around it. Without it, each row a search rescores from disk pulls in the device's
    /// read-ahead (128 KiB by default, 8 MiB on some cloud disks) and evicts the pages other rows need: measured under a
    /// memory limit, 2 queries a second with about 1 GB/s read from the disk. The searches' reads are random (the rows a
    /// graph walk shortlists); an exact scan of vectors on disk loses read-ahead too and faults page by page.
    /// </summary>
    private static void AdviseRandomAccess(byte* start, ulong length)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) || length == 0)
        {
            return;
        }
        // The view starts on a page (a mapping always does): the address is valid for madvise as it is. Advice only: a
        // failure leaves the kernel's default read-ahead, which reads the same bytes, more slowly under memory pressure.
        _ = VirtualMemory.Advise((nint)start, (nuint)length, VirtualMemory.Random);
    }

    /// <summary>The mapped file's full path.</summary>
    internal string Path { get; }

    /// <summary>The dimension of its vectors.</summary>
    internal int Dimension { get; }

    /// <summary>The rows it holds.</summary>
    internal int Rows { get; }

    /// <summary>The bytes of rows mapped (the file less its header).</summary>
    internal long RowBytes => (long)Rows * VectorArena.StrideFor(Dimension) * sizeof(float);

    /// <summary>Set by the owner when the file is obsolete (a newer checkpoint replaced it): deleted once unmapped.</summary>
    internal bool DeleteWhenDisposed
    {
        get => Volatile.Read(ref _deleteWhenDisposed);
        set => Volatile.Write(ref _deleteWhenDisposed, value);
    }

    private bool _deleteWhenDisposed;

    /// <summary>The address of row <paramref name="row"/>'s first float (0 &lt;= row &lt; <see cref="Rows"/>).</summary>
    internal nint RowAddress(long row) => (nint)(_pointer + DataOffset + (row * VectorArena.StrideFor(Dimension) * sizeof(float)));

    /// <summary>The length of a mapped vectors file of <paramref name="rows"/> rows.</summary>
    internal static long FileLength(int dimension, long rows) => DataOffset + (rows * VectorArena.StrideFor(dimension) * sizeof(float));

    /// <summary>Whether <paramref name="path"/> is mapped by this process (a checkpoint's clean-up leaves it for the mapping's owner).</summary>
    internal static bool IsMapped(string path) => Mapped.TryGetValue(System.IO.Path.GetFullPath(path), out int n) && n > 0;

    /// <summary>
    /// Maps the file at <paramref name="path"/>, whose header the caller has read (the caller checks its checksum too), or
    /// the file <paramref name="borrowed"/> has open (a read-only open holds every file of its generation open, so a writer
    /// deleting it meanwhile does not matter); the caller keeps and disposes <paramref name="borrowed"/>.
    /// </summary>
    /// <exception cref="CorruptFileException">The file is missing or shorter than <paramref name="rows"/> rows need.</exception>
    /// <exception cref="IOException">The file could not be mapped.</exception>
    internal static MappedVectorFile Open(string path, int dimension, int rows, FileStream? borrowed = null)
    {
        string full = System.IO.Path.GetFullPath(path);
        long length = FileLength(dimension, rows);
        FileStream? owned = null;
        try
        {
            FileStream stream = borrowed ?? (owned = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 1));
            if (stream.Length < length)
            {
                throw new CorruptFileException(full, -1, $"it is {stream.Length} bytes; {rows} mapped vectors of dimension {dimension} take {length}");
            }
            // An owned stream goes to the mapping, which closes it when disposed; a borrowed one stays the caller's.
            var file = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: borrowed is not null);
            owned = null;
            try
            {
                var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
                return new MappedVectorFile(full, file, view, dimension, rows);
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new CorruptFileException(full, -1, "the vectors file the checkpoint manifest lists is missing", ex);
        }
        finally
        {
            owned?.Dispose();
        }
    }

    /// <summary>Unmaps the file and closes it; then deletes it if <see cref="DeleteWhenDisposed"/>. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _pointer = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
        if (Mapped.AddOrUpdate(Path, 0, (_, n) => n - 1) <= 0)
        {
            Mapped.TryRemove(new KeyValuePair<string, int>(Path, 0));
        }
        if (DeleteWhenDisposed)
        {
            try
            {
                File.Delete(Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Left for the next writer open, whose clean-up removes files of other generations.
            }
        }
    }
}
