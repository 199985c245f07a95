using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Vectors;

/// <summary>
/// The storage of one named dense vector of one collection: every row's vector in aligned native
/// memory, addressed by the dense row id, read without copying.
/// </summary>
/// <remarks>
/// <para>How it works:</para>
/// <list type="number">
/// <item><description>
/// Each row takes <see cref="Stride"/> floats: the dimension rounded up to a multiple of 16 floats
/// (64 bytes, one cache line, one Vector512). Rows therefore start on a cache line and a vector load
/// never straddles two lines. The padding is always zero.
/// </description></item>
/// <item><description>
/// Rows live in chunks of <see cref="RowsPerChunk"/> rows, each chunk one 64-byte-aligned
/// <see cref="NativeMemory.AlignedAlloc"/> block (<see cref="ChunkMemory"/>: from the second chunk on, on Linux, aligned
/// to and advised onto transparent huge pages, so writing a chunk faults once per 2 MiB, not per 4 KiB). <see cref="RowsPerChunk"/> is a power of two so
/// row <c>r</c> is in chunk <c>r &gt;&gt; shift</c> at row <c>r &amp; (RowsPerChunk - 1)</c>. By default
/// it is the largest power of two whose chunk fits in 8 MiB, so a chunk holds between 4 MiB and 8 MiB
/// (at least 16 rows): large enough that a scan walks long sequential runs the hardware prefetcher
/// follows, small enough that a small collection does not reserve much.
/// </description></item>
/// <item><description>
/// A directory array holds the chunk addresses. Growing allocates new chunks, copies the directory
/// with the new addresses appended, and publishes the copy with <see cref="Volatile.Write{T}(ref T, T)"/>.
/// Chunks never move and are freed only by <see cref="Dispose"/>, so a span a reader obtained earlier
/// stays valid and unchanged across growth, and a reader holding an old directory only reaches chunks
/// that still exist.
/// </description></item>
/// </list>
/// <para>
/// Thread safety: one writer (<see cref="Write"/>, <see cref="EnsureCapacity"/>) runs at a time, with
/// any number of concurrent readers (<see cref="Get"/>, <see cref="GetChunk"/>, the properties). A reader
/// must read only rows the writer has finished and published (the engine's row watermark); rows never
/// written hold unspecified values. <see cref="Dispose"/> frees the memory every span points into, so the
/// owner calls it only when no reader can still be running.
/// </para>
/// <para>
/// Vectors on disk (<see cref="VectorStorage.Disk"/>): <see cref="AttachFiles"/> points the chunks wholly inside one of a
/// checkpoint's mapped vectors files (<see cref="MappedVectorFile"/>, which has the same row layout; a checkpoint's rows
/// may be split over several files, its segments) at the mapping instead of RAM, and hands back the RAM chunks (and any
/// older mappings) it replaced, which the caller frees once no reader can
/// still be using them (<see cref="ReaderEpochs"/>). Chunks past the file stay in RAM: the rows written since the
/// checkpoint, until the next one. Readers do not see the difference: every accessor reads through the same directory.
/// </para>
/// <para>
/// There is deliberately no finalizer: a span does not keep the arena alive, so a finalizer could free
/// memory a reader is still scanning. The owner must dispose the arena; forgetting to leaks native memory.
/// </para>
/// </remarks>
internal sealed class VectorArena : IDisposable
{
    /// <summary>The largest dimension an arena accepts.</summary>
    internal const int MaxDimension = 65536;

    /// <summary>The alignment of every chunk and, with the stride, of every row, in bytes.</summary>
    internal const int Alignment = 64;

    /// <summary>The smallest number of rows a chunk may hold.</summary>
    internal const int MinRowsPerChunk = 16;

    /// <summary>The size a default chunk stays within, in bytes.</summary>
    private const int TargetChunkBytes = 8 << 20;

    /// <summary>
    /// The size a chunk of an arena kept on disk stays within: small, because the chunk that holds the last checkpointed
    /// row stays in RAM (the file ends inside it) and so does every row written since, a chunk at a time.
    /// </summary>
    private const int TargetDiskChunkBytes = 64 << 10;

    /// <summary>The largest chunk the two-argument constructor accepts, in floats (1 GiB).</summary>
    private const long MaxChunkFloats = 1L << 28;

    private readonly int _dimension;
    private readonly int _stride;
    private readonly int _rowsPerChunk;
    private readonly int _chunkShift;
    private readonly int _rowMask;
    private readonly nuint _chunkBytes;

    /// <summary>Chunk addresses; replaced (never mutated) after publication, so readers load it once.</summary>
    private nint[] _chunks = [];

    private int _disposed;

    /// <summary>How many chunks point into a mapping (the rest are RAM this arena allocated and frees).</summary>
    private int _mappedChunks;

    /// <summary>Per chunk, whether it points into a mapping. Writer only (and <see cref="Dispose"/>); as long as the directory.</summary>
    private bool[] _chunkIsMapped = [];

    /// <summary>The checkpoint files the mapped chunks point into, in row order (they tile rows [0, <see cref="_fileRows"/>)).</summary>
    private MappedVectorFile[] _mappings = [];

    /// <summary>The rows the attached files hold: never written again.</summary>
    private int _fileRows;

    /// <summary>Creates an empty arena for vectors of <paramref name="dimension"/> components, with the default chunk size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not in 1..65536.</exception>
    internal VectorArena(int dimension)
        : this(dimension, DefaultRowsPerChunk(dimension))
    {
    }

    /// <summary>
    /// Creates an empty arena with chunks of <paramref name="rowsPerChunk"/> rows: for tests that need
    /// many chunk boundaries, and for callers that know a collection stays small.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="dimension"/> is not in 1..65536, or <paramref name="rowsPerChunk"/> is not a power
    /// of two of at least 16, or the chunk would exceed 1 GiB.
    /// </exception>
    internal VectorArena(int dimension, int rowsPerChunk)
    {
        ValidateDimension(dimension);
        int stride = StrideFor(dimension);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerChunk, MinRowsPerChunk);
        if (!BitOperations.IsPow2(rowsPerChunk) || (long)rowsPerChunk * stride > MaxChunkFloats)
        {
            ThrowBadRowsPerChunk(rowsPerChunk, stride);
        }

        _dimension = dimension;
        _stride = stride;
        _rowsPerChunk = rowsPerChunk;
        _chunkShift = BitOperations.Log2((uint)rowsPerChunk);
        _rowMask = rowsPerChunk - 1;
        _chunkBytes = (nuint)rowsPerChunk * (nuint)stride * sizeof(float);
    }

    /// <summary>The number of components of every vector.</summary>
    internal int Dimension => _dimension;

    /// <summary>The distance between the starts of consecutive rows, in floats: <see cref="Dimension"/> rounded up to a multiple of 16.</summary>
    internal int Stride => _stride;

    /// <summary>The number of rows in a chunk: a power of two, at least 16.</summary>
    internal int RowsPerChunk => _rowsPerChunk;

    /// <summary>The number of chunks allocated so far.</summary>
    internal int ChunkCount => Volatile.Read(ref _chunks).Length;

    /// <summary>Bytes of native memory the arena holds in RAM: every allocated chunk, rows written or not (mapped chunks excluded).</summary>
    internal long MemoryBytes => (long)(ChunkCount - Volatile.Read(ref _mappedChunks)) * (long)_chunkBytes;

    /// <summary>Bytes of rows read in place from a mapped checkpoint file: address space, not RAM the arena holds (the
    /// operating system keeps as many of those pages resident as memory allows).</summary>
    internal long MappedBytes => Volatile.Read(ref _mappedChunks) * (long)_chunkBytes;

    /// <summary>How many rows the mapped chunks hold (0 when every row is in RAM); <see cref="IsMappedRow"/> says which.</summary>
    internal int MappedRows => Volatile.Read(ref _mappedChunks) << _chunkShift;

    /// <summary>The number of rows that may be written and read: a multiple of <see cref="RowsPerChunk"/> (capped at <see cref="int.MaxValue"/>).</summary>
    internal int Capacity => (int)Math.Min((long)Volatile.Read(ref _chunks).Length << _chunkShift, int.MaxValue);

    /// <summary>Returns the stride for <paramref name="dimension"/>: the dimension rounded up to a multiple of 16 floats.</summary>
    internal static int StrideFor(int dimension) => (dimension + 15) & ~15;

    /// <summary>
    /// Returns the default rows per chunk for <paramref name="dimension"/>: the largest power of two whose
    /// chunk fits in 8 MiB, at least 16.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not in 1..65536.</exception>
    internal static int DefaultRowsPerChunk(int dimension)
    {
        ValidateDimension(dimension);
        int rows = TargetChunkBytes / (StrideFor(dimension) * sizeof(float));
        return Math.Max(MinRowsPerChunk, 1 << BitOperations.Log2((uint)rows));
    }

    /// <summary>
    /// Returns the rows per chunk for an arena kept on disk: the largest power of two whose chunk fits in 64 KiB, at least
    /// 16. Small chunks keep the RAM tail small (see <see cref="AttachFiles"/>).
    /// </summary>
    internal static int DiskRowsPerChunk(int dimension)
    {
        ValidateDimension(dimension);
        int rows = TargetDiskChunkBytes / (StrideFor(dimension) * sizeof(float));
        return Math.Max(MinRowsPerChunk, rows <= 0 ? 0 : 1 << BitOperations.Log2((uint)rows));
    }

    /// <summary>
    /// Points every chunk that lies wholly within one of <paramref name="files"/> (which hold rows [0, sum of their rows),
    /// in order) at its mapping, and gives a chunk that spans two files, or that the last file ends inside, RAM holding
    /// the same rows: the chunk the arena already has in RAM, or one allocated and filled from the files (a load). Writer
    /// only (a concurrent <see cref="EnsureCapacity"/> would lose one of the two directories). The arena owns
    /// <paramref name="files"/> from now on (on an exception the caller still does). Returns the memory the new directory
    /// no longer reaches (the RAM chunks now mapped, and the previous mappings, of which those whose file is not among
    /// <paramref name="files"/> are deleted once unmapped: a newer checkpoint replaced them), or null: the caller frees it
    /// once no reader that took the old directory is left.
    /// </summary>
    /// <remarks>
    /// The files' rows must be the arena's rows [0, total) bit for bit, padding included (a checkpoint wrote them from this
    /// arena, or a load fills an empty arena from them). They never hold fewer rows than the files they replace: rows are
    /// never removed from an arena. A file already attached may be passed again, mapped anew (a checkpoint keeps earlier
    /// segments): the old mapping is then retired without deleting the file.
    /// </remarks>
    /// <exception cref="ArgumentException">A file's dimension is not the arena's, or the files hold fewer rows than those attached.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    /// <exception cref="OutOfMemoryException">A chunk could not be allocated; the arena is unchanged.</exception>
    internal unsafe IDisposable? AttachFiles(IReadOnlyList<MappedVectorFile> files)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        long total = 0;
        foreach (MappedVectorFile file in files)
        {
            if (file.Dimension != _dimension)
            {
                throw new ArgumentException($"The file holds vectors of dimension {file.Dimension}; this arena stores dimension {_dimension}.", nameof(files));
            }
            total += file.Rows;
        }
        if (total < _fileRows || total > int.MaxValue)
        {
            throw new ArgumentException($"The files hold {total} rows; the files attached hold {_fileRows}.", nameof(files));
        }

        nint[] current = _chunks;
        int fileChunks = (int)((total + _rowsPerChunk - 1) >> _chunkShift);
        var next = new nint[Math.Max(current.Length, fileChunks)];
        var nextIsMapped = new bool[next.Length];
        current.CopyTo(next, 0);
        _chunkIsMapped.CopyTo(nextIsMapped, 0);
        var replaced = new List<nint>();
        var allocated = new List<nint>();
        try
        {
            int segment = 0;
            long segmentStart = 0;
            for (int c = 0; c < fileChunks; c++)
            {
                long first = (long)c << _chunkShift;
                while (segmentStart + files[segment].Rows <= first)
                {
                    segmentStart += files[segment].Rows;
                    segment++;
                }
                bool wasRam = c < current.Length && !(c < _chunkIsMapped.Length && _chunkIsMapped[c]);
                if (first + _rowsPerChunk <= segmentStart + files[segment].Rows)
                {
                    if (wasRam)
                    {
                        replaced.Add(current[c]);
                    }
                    next[c] = files[segment].RowAddress(first - segmentStart);
                    nextIsMapped[c] = true;
                }
                else if (!wasRam)
                {
                    // A load, or (never from a checkpoint's segments) a chunk a new file boundary now splits: RAM again.
                    nint chunk = ChunkMemory.Allocate(_chunkBytes, Alignment, hugePages: c > 0);
                    allocated.Add(chunk);
                    FillFromFiles(new Span<float>((void*)chunk, _rowsPerChunk * _stride), first, files, segment, segmentStart, total);
                    next[c] = chunk;
                    nextIsMapped[c] = false;
                }
            }
        }
        catch
        {
            foreach (nint chunk in allocated)
            {
                ChunkMemory.Free(chunk);
            }
            throw;
        }

        MappedVectorFile[] previous = _mappings;
        foreach (MappedVectorFile old in previous)
        {
            if (!files.Any(f => f.Path == old.Path))
            {
                old.DeleteWhenDisposed = true; // a newer checkpoint replaced it; the clean-up left it while mapped
            }
        }
        _mappings = [.. files];
        _fileRows = (int)total;
        _chunkIsMapped = nextIsMapped;
        Volatile.Write(ref _mappedChunks, nextIsMapped.Count(m => m));
        // Release semantics: a reader that sees the new directory sees the mappings' pages and the filled chunks through it.
        Volatile.Write(ref _chunks, next);
        return replaced.Count == 0 && previous.Length == 0 ? null : new RetiredMemory([.. replaced], previous);
    }

    /// <summary>Copies rows [first, first + RowsPerChunk) that the files hold into <paramref name="chunk"/>; zeroes the rest.</summary>
    private unsafe void FillFromFiles(Span<float> chunk, long first, IReadOnlyList<MappedVectorFile> files, int segment, long segmentStart, long total)
    {
        chunk.Clear();
        long end = Math.Min(first + _rowsPerChunk, total);
        for (long row = first; row < end; row++)
        {
            while (row >= segmentStart + files[segment].Rows)
            {
                segmentStart += files[segment].Rows;
                segment++;
            }
            var source = new ReadOnlySpan<float>((void*)files[segment].RowAddress(row - segmentStart), _stride);
            source.CopyTo(chunk.Slice((int)(row - first) * _stride, _stride));
        }
    }

    /// <summary>
    /// Marks the files the arena maps as obsolete (a newer checkpoint replaced them): each is deleted when its mapping is
    /// closed, at <see cref="Dispose"/>. For an arena a compaction replaced, whose readers may still be in it.
    /// </summary>
    internal void MarkMappingObsolete()
    {
        foreach (MappedVectorFile mapping in _mappings)
        {
            mapping.DeleteWhenDisposed = true;
        }
    }

    /// <summary>Whether row <paramref name="row"/> is read from a mapped file (and so can never be written). Writer only.</summary>
    internal bool IsMappedRow(int row)
    {
        int chunk = row >> _chunkShift;
        return (uint)chunk < (uint)_chunkIsMapped.Length && _chunkIsMapped[chunk];
    }

    /// <summary>
    /// Makes at least <paramref name="rows"/> rows writable, allocating whole chunks. Memory already
    /// allocated never moves, so readers may keep reading during the call. Writer only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is negative.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    /// <exception cref="OutOfMemoryException">A chunk could not be allocated; the arena is unchanged.</exception>
    internal unsafe void EnsureCapacity(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        nint[] current = _chunks;
        int needed = (int)(((long)rows + _rowsPerChunk - 1) >> _chunkShift);
        if (needed <= current.Length)
        {
            return;
        }

        var next = new nint[needed];
        current.CopyTo(next, 0);
        int allocated = current.Length;
        try
        {
            for (; allocated < needed; allocated++)
            {
                // Huge pages from the second chunk on: an arena that has filled one chunk is large, and a small one keeps 4 KiB
                // pages, so its few rows do not each take 2 MiB (ChunkMemory).
                next[allocated] = ChunkMemory.Allocate(_chunkBytes, Alignment, hugePages: allocated > 0);
            }
        }
        catch
        {
            // Leave the arena as it was: free what this call allocated and publish nothing.
            for (int i = current.Length; i < allocated; i++)
            {
                ChunkMemory.Free(next[i]);
            }

            throw;
        }

        // Release semantics: a reader that sees the new directory also sees its filled-in entries.
        Volatile.Write(ref _chunks, next);
    }

    /// <summary>
    /// Copies <paramref name="vector"/> into row <paramref name="row"/> and zeroes the row's padding.
    /// Writer only; readers must not read the row until the writer publishes it.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="vector"/> does not have <see cref="Dimension"/> components.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is negative or not below <see cref="Capacity"/>.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    internal unsafe void Write(int row, ReadOnlySpan<float> vector)
    {
        if (vector.Length != _dimension)
        {
            ThrowDimensionMismatch(vector.Length);
        }

        Debug.Assert(row < 0 || row >= _fileRows || !IsMappedRow(row), "Mapped rows are never written again: rows are immutable once published.");
        float* address = RowAddress(row);
        var destination = new Span<float>(address, _stride);
        if (Unsafe.AsPointer(ref MemoryMarshal.GetReference(vector)) != address)
        {
            vector.CopyTo(destination); // not when the vector is the row's own memory already (a staged vector: RowMemory)
        }

        // Zero padding lets a kernel run over the whole stride (no tail) and get the same distance.
        destination[_dimension..].Clear();
    }

    /// <summary>
    /// Row <paramref name="row"/> as memory (exactly <see cref="Dimension"/> floats), for a vector staged into the row
    /// before the row is appended: <see cref="Write"/> of that memory into the same row copies nothing. Valid until
    /// <see cref="Dispose"/>. Writer only.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is negative or not below <see cref="Capacity"/>.</exception>
    internal unsafe ReadOnlyMemory<float> RowMemory(int row) => new ArenaRowMemory(RowAddress(row), _dimension).Memory;

    /// <summary>
    /// Returns row <paramref name="row"/>'s vector (exactly <see cref="Dimension"/> floats) without
    /// copying. Any thread. The span stays valid until <see cref="Dispose"/>, even if the arena grows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is negative or not below <see cref="Capacity"/>.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal unsafe ReadOnlySpan<float> Get(int row) => new(RowAddress(row), _dimension);

    /// <summary>
    /// Returns chunk <paramref name="chunkIndex"/> whole: <see cref="RowsPerChunk"/> rows of
    /// <see cref="Stride"/> floats, row <c>chunkIndex * RowsPerChunk + i</c> starting at float
    /// <c>i * Stride</c>, padding included. Any thread. Lets a scan walk a chunk by bumping a reference
    /// instead of looking each row up.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkIndex"/> is negative or not below <see cref="ChunkCount"/>.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    internal unsafe ReadOnlySpan<float> GetChunk(int chunkIndex)
    {
        nint[] chunks = Volatile.Read(ref _chunks);
        if ((uint)chunkIndex >= (uint)chunks.Length)
        {
            ThrowChunkOutOfRange(chunkIndex);
        }

        return new ReadOnlySpan<float>((void*)chunks[chunkIndex], _rowsPerChunk * _stride);
    }

    /// <summary>
    /// Returns the row addresses of every row below <see cref="Capacity"/> as of now, for a hot loop that
    /// looks up many rows at random (an index search): the chunk directory is read once, and each lookup
    /// is a shift, a mask and a multiply with no bounds check. Any thread. Rows made writable later are
    /// not covered; take a new snapshot for them.
    /// </summary>
    internal RowAddresses GetRowAddresses() => new(Volatile.Read(ref _chunks), _chunkShift, _rowMask, _stride);

    /// <summary>
    /// Frees every chunk. Safe to call more than once. The caller guarantees no reader still uses a span
    /// from this arena; afterwards every accessor throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public unsafe void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        nint[] chunks = Interlocked.Exchange(ref _chunks, []);
        for (int c = 0; c < chunks.Length; c++)
        {
            if (c >= _chunkIsMapped.Length || !_chunkIsMapped[c])
            {
                ChunkMemory.Free(chunks[c]);
            }
        }
        foreach (MappedVectorFile mapping in _mappings)
        {
            mapping.Dispose();
        }
        _mappings = [];
    }

    /// <summary>Memory an <see cref="AttachFiles"/> took out of the directory: RAM chunks to free and mappings to close.</summary>
    private sealed unsafe class RetiredMemory(nint[] chunks, MappedVectorFile[] mappings) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0)
            {
                return;
            }
            foreach (nint chunk in chunks)
            {
                ChunkMemory.Free(chunk);
            }
            foreach (MappedVectorFile mapping in mappings)
            {
                mapping.Dispose();
            }
        }
    }

    /// <summary>Returns the address of row <paramref name="row"/>, reading the directory once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private unsafe float* RowAddress(int row)
    {
        nint[] chunks = Volatile.Read(ref _chunks);

        // A negative row shifts to a negative chunk index, which the unsigned compare rejects too.
        int chunk = row >> _chunkShift;
        if ((uint)chunk >= (uint)chunks.Length)
        {
            ThrowRowOutOfRange(row);
        }

        Debug.Assert(chunks[chunk] % Alignment == 0, "Every chunk is allocated 64-byte aligned.");
        return (float*)chunks[chunk] + ((nint)(row & _rowMask) * _stride);
    }

    private static void ValidateDimension(int dimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, MaxDimension);
    }

    [DoesNotReturn]
    private void ThrowRowOutOfRange(int row)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        throw new ArgumentOutOfRangeException(nameof(row), row, $"Row {row} is outside the arena's capacity of {Capacity} rows.");
    }

    [DoesNotReturn]
    private void ThrowChunkOutOfRange(int chunkIndex)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        throw new ArgumentOutOfRangeException(nameof(chunkIndex), chunkIndex, $"Chunk {chunkIndex} does not exist; the arena has {ChunkCount} chunks.");
    }

    [DoesNotReturn]
    private void ThrowDimensionMismatch(int actual) =>
        throw new ArgumentException($"The vector has {actual} components; this arena stores vectors of dimension {_dimension}.", "vector");

    /// <summary>
    /// A snapshot of an arena's chunk directory that turns a row id into the address of its first float
    /// without a bounds check: for index searches, which look up rows whose range they have already checked.
    /// </summary>
    /// <remarks>
    /// The caller guarantees every row it passes is below <see cref="RowCapacity"/>; a larger row reads
    /// outside the directory. The addresses stay valid until the arena is disposed, like any span from it.
    /// </remarks>
    internal readonly unsafe struct RowAddresses
    {
        private readonly nint[] _chunks;
        private readonly int _chunkShift;
        private readonly int _rowMask;
        private readonly nint _stride;

        internal RowAddresses(nint[] chunks, int chunkShift, int rowMask, int stride)
        {
            _chunks = chunks;
            _chunkShift = chunkShift;
            _rowMask = rowMask;
            _stride = stride;
        }

        /// <summary>The number of rows this snapshot covers: rows below it have an address.</summary>
        internal long RowCapacity => (long)_chunks.Length << _chunkShift;

        /// <summary>Returns the address of row <paramref name="row"/>'s first float; <paramref name="row"/> must be in [0, <see cref="RowCapacity"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal float* Address(int row)
        {
            Debug.Assert((uint)row < (ulong)RowCapacity, "The caller checks rows against the snapshot's capacity.");
            nint chunk = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks), row >> _chunkShift);
            return (float*)chunk + ((row & _rowMask) * _stride);
        }
    }

    [DoesNotReturn]
    private static void ThrowBadRowsPerChunk(int rowsPerChunk, int stride) =>
        throw new ArgumentOutOfRangeException(nameof(rowsPerChunk), rowsPerChunk,
            $"Rows per chunk must be a power of two of at least {MinRowsPerChunk}, and a chunk at most {MaxChunkFloats * sizeof(float) >> 20} MiB (stride {stride} floats).");
}
