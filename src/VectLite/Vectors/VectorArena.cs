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
/// <see cref="NativeMemory.AlignedAlloc"/> block. <see cref="RowsPerChunk"/> is a power of two so
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
/// Vectors on disk (<see cref="VectorStorage.Disk"/>): <see cref="AttachFile"/> points the chunks wholly inside a
/// checkpoint's mapped vectors file (<see cref="MappedVectorFile"/>, which has the same row layout) at the mapping instead
/// of RAM, and hands back the RAM chunks (and any older mapping) it replaced, which the caller frees once no reader can
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

    /// <summary>Chunks [0, this) point into <see cref="_mapping"/>; the rest are RAM this arena allocated and frees.</summary>
    private int _mappedChunks;

    /// <summary>The checkpoint file the mapped chunks point into, or null.</summary>
    private MappedVectorFile? _mapping;

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

    /// <summary>The rows read from the mapped checkpoint file (0 when every row is in RAM).</summary>
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
    /// 16. Small chunks keep the RAM tail small (see <see cref="AttachFile"/>).
    /// </summary>
    internal static int DiskRowsPerChunk(int dimension)
    {
        ValidateDimension(dimension);
        int rows = TargetDiskChunkBytes / (StrideFor(dimension) * sizeof(float));
        return Math.Max(MinRowsPerChunk, rows <= 0 ? 0 : 1 << BitOperations.Log2((uint)rows));
    }

    /// <summary>
    /// Points every chunk that lies wholly within <paramref name="file"/>'s rows at the mapping, and copies the rows of a
    /// chunk the file ends inside into RAM if the arena has no chunk there yet (a load). Writer only (a concurrent
    /// <see cref="EnsureCapacity"/> would lose one of the two directories). The arena owns <paramref name="file"/> from
    /// now on. Returns the memory the new directory no longer reaches (the RAM chunks now mapped, and the previous
    /// mapping, whose file is deleted once unmapped: a newer checkpoint replaced it), or null: the caller frees it once no reader that took the old directory is left.
    /// </summary>
    /// <remarks>
    /// The rows of <paramref name="file"/> must be the arena's rows [0, file.Rows) bit for bit, padding included (a
    /// checkpoint wrote them from this arena, or a load fills an empty arena from it). A file never covers fewer chunks
    /// than the mapping it replaces: rows are never removed from an arena.
    /// </remarks>
    /// <exception cref="ArgumentException">The file's dimension is not the arena's, or it covers fewer chunks than the current mapping.</exception>
    /// <exception cref="ObjectDisposedException">The arena has been disposed.</exception>
    internal unsafe IDisposable? AttachFile(MappedVectorFile file)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (file.Dimension != _dimension)
        {
            throw new ArgumentException($"The file holds vectors of dimension {file.Dimension}; this arena stores dimension {_dimension}.", nameof(file));
        }
        int fullChunks = file.Rows >> _chunkShift;
        if (fullChunks < _mappedChunks)
        {
            throw new ArgumentException($"The file covers {fullChunks} chunks, fewer than the {_mappedChunks} already mapped.", nameof(file));
        }

        // A load: the file's last, partial chunk needs RAM, filled from the file (the chunks it covers whole need none).
        nint[] current = _chunks;
        int tailRows = file.Rows - (fullChunks << _chunkShift);
        nint tail = 0;
        if (tailRows > 0 && current.Length <= fullChunks)
        {
            tail = (nint)NativeMemory.AlignedAlloc(_chunkBytes, Alignment);
            var source = new ReadOnlySpan<float>((void*)file.RowAddress((long)fullChunks << _chunkShift), tailRows * _stride);
            var destination = new Span<float>((void*)tail, _rowsPerChunk * _stride);
            source.CopyTo(destination);
            destination[source.Length..].Clear();
        }

        var next = new nint[Math.Max(current.Length, fullChunks + (tail != 0 ? 1 : 0))];
        current.CopyTo(next, 0);
        var replaced = new List<nint>(fullChunks - _mappedChunks);
        for (int c = 0; c < fullChunks; c++)
        {
            if (c >= _mappedChunks && c < current.Length)
            {
                replaced.Add(current[c]);
            }
            next[c] = file.RowAddress((long)c << _chunkShift);
        }
        if (tail != 0)
        {
            next[fullChunks] = tail;
        }

        MappedVectorFile? previous = _mapping;
        if (previous is not null)
        {
            previous.DeleteWhenDisposed = true; // a newer checkpoint replaced it; the clean-up left it while mapped
        }
        _mapping = file;
        Volatile.Write(ref _mappedChunks, fullChunks);
        // Release semantics: a reader that sees the new directory sees the mapping's pages through it.
        Volatile.Write(ref _chunks, next);
        return replaced.Count == 0 && previous is null ? null : new RetiredMemory([.. replaced], previous);
    }

    /// <summary>
    /// Marks the file the arena maps as obsolete (a newer checkpoint replaced it): it is deleted when the mapping is
    /// closed, at <see cref="Dispose"/>. For an arena a compaction replaced, whose readers may still be in it.
    /// </summary>
    internal void MarkMappingObsolete()
    {
        if (Volatile.Read(ref _mapping) is { } mapping)
        {
            mapping.DeleteWhenDisposed = true;
        }
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
                next[allocated] = (nint)NativeMemory.AlignedAlloc(_chunkBytes, Alignment);
            }
        }
        catch
        {
            // Leave the arena as it was: free what this call allocated and publish nothing.
            for (int i = current.Length; i < allocated; i++)
            {
                NativeMemory.AlignedFree((void*)next[i]);
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

        Debug.Assert(row < 0 || row >> _chunkShift >= _mappedChunks, "Mapped rows are never written again: rows are immutable once published.");
        var destination = new Span<float>(RowAddress(row), _stride);
        vector.CopyTo(destination);

        // Zero padding lets a kernel run over the whole stride (no tail) and get the same distance.
        destination[_dimension..].Clear();
    }

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
        for (int c = _mappedChunks; c < chunks.Length; c++)
        {
            NativeMemory.AlignedFree((void*)chunks[c]);
        }
        _mapping?.Dispose();
        _mapping = null;
    }

    /// <summary>Memory an <see cref="AttachFile"/> took out of the directory: RAM chunks to free and a mapping to close.</summary>
    private sealed unsafe class RetiredMemory(nint[] chunks, MappedVectorFile? mapping) : IDisposable
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
                NativeMemory.AlignedFree((void*)chunk);
            }
            mapping?.Dispose();
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
