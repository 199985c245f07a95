using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Quantization;

/// <summary>
/// The codes of one named vector, one fixed-size row per dense row id, in managed chunks: like
/// <see cref="Vectors.VectorArena"/>, growth appends chunks and publishes a new directory, so a reader's view stays
/// valid while the writer appends.
/// </summary>
/// <remarks>
/// <para>Rows are stored at their exact size, back to back (no padding: the kernels read the code's bytes and finish
/// with a scalar tail). A chunk holds a power of two rows (at most 1 MiB of codes, at least 16 rows).</para>
/// <para>Memory: only the chunks the rows need are allocated (the directory doubles, its empty slots cost a pointer
/// each). A store filled in one go (<see cref="Reserve"/>: a load, the first encoding after training or a checkpoint)
/// gives its last chunk the exact rows it holds instead of a whole chunk: 59,247 binary codes of 56 bytes take 3.32 MB,
/// not the 3.67 MB of four whole chunks. The first row written past that short chunk replaces it by a whole one (its
/// rows copied first, then the slot published), once.</para>
/// <para>Thread safety: one writer (<see cref="Write"/>, <see cref="Reserve"/>), any number of readers of rows the
/// writer has published. A reader's <see cref="View"/> covers the rows published before it was taken: the chunk a
/// short chunk was replaced by holds the same bytes for those rows, and the short one stays valid for the readers that
/// hold it.</para>
/// </remarks>
internal sealed class CodeStore
{
    /// <summary>The size a chunk stays within: small enough that a small collection reserves little.</summary>
    private const int TargetChunkBytes = 1 << 20;

    private readonly int _codeBytes;
    private readonly int _shift;
    private readonly int _mask;

    /// <summary>The chunk directory: the first <see cref="_allocated"/> slots hold chunks, the rest are null.</summary>
    private byte[][] _chunks = [];
    private int _allocated;
    private long _allocatedBytes;

    /// <summary>Creates an empty store of rows of <paramref name="codeBytes"/> bytes.</summary>
    internal CodeStore(int codeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(codeBytes, 1);
        _codeBytes = codeBytes;
        int rows = Math.Max(16, 1 << BitOperations.Log2((uint)Math.Max(1, TargetChunkBytes / codeBytes)));
        _shift = BitOperations.Log2((uint)rows);
        _mask = rows - 1;
    }

    /// <summary>The bytes of one row's code.</summary>
    internal int CodeBytes => _codeBytes;

    /// <summary>The rows a whole chunk holds.</summary>
    internal int RowsPerChunk => _mask + 1;

    /// <summary>Bytes of memory the allocated chunks hold (a short last chunk counts at its length).</summary>
    internal long MemoryBytes => Volatile.Read(ref _allocatedBytes);

    /// <summary>
    /// Sizes an empty store for exactly <paramref name="rows"/> rows: whole chunks, then a last chunk of the rows left.
    /// Writer only, before the rows are written; a store that already holds chunks is left as it is.
    /// </summary>
    internal void Reserve(int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        if (_allocated > 0 || rows == 0)
        {
            return;
        }
        int whole = rows >> _shift;
        int rest = rows & _mask;
        int count = whole + (rest > 0 ? 1 : 0);
        var chunks = new byte[count][];
        long bytes = 0;
        for (int i = 0; i < count; i++)
        {
            int chunkRows = i < whole ? _mask + 1 : rest;
            chunks[i] = new byte[chunkRows * _codeBytes];
            bytes += chunks[i].Length;
        }
        _allocated = count;
        Volatile.Write(ref _allocatedBytes, bytes);
        Volatile.Write(ref _chunks, chunks); // release: a reader that sees the directory sees its chunks
    }

    /// <summary>
    /// Returns a writable view of row <paramref name="row"/>'s code, growing the store as needed. Writer only; the span
    /// is valid until the next call that may grow the store (rows are written one after another).
    /// </summary>
    internal Span<byte> Write(int row)
    {
        int chunk = row >> _shift;
        int offset = (row & _mask) * _codeBytes;
        byte[][] chunks = _chunks;
        if (chunk >= _allocated)
        {
            chunks = AllocateThrough(chunk);
        }
        byte[] bytes = chunks[chunk];
        if (offset + _codeBytes > bytes.Length)
        {
            bytes = Widen(chunks, chunk);
        }
        return bytes.AsSpan(offset, _codeBytes);
    }

    /// <summary>
    /// Returns a writable view of the rows from <paramref name="row"/> to the end of its chunk, at most
    /// <paramref name="rows"/> of them (a loader reads codes straight into it). Writer only, as <see cref="Write"/>.
    /// </summary>
    internal Span<byte> WriteRun(int row, int rows)
    {
        int first = row & _mask;
        int count = Math.Min(rows, _mask + 1 - first);
        Write(row + count - 1); // grows the chunk to hold the run's last row
        return _chunks[row >> _shift].AsSpan(first * _codeBytes, count * _codeBytes);
    }

    /// <summary>Allocates whole chunks through index <paramref name="last"/>, doubling the directory when it is full.</summary>
    private byte[][] AllocateThrough(int last)
    {
        byte[][] chunks = _chunks;
        if (last >= chunks.Length)
        {
            var grown = new byte[Math.Max(last + 1, chunks.Length * 2)][];
            Array.Copy(chunks, grown, _allocated);
            chunks = grown;
        }
        if (_allocated > 0 && chunks[_allocated - 1].Length < (_mask + 1) * _codeBytes)
        {
            Widen(chunks, _allocated - 1); // a short last chunk below a new one becomes whole: only the last may be short
        }
        long bytes = _allocatedBytes;
        for (int i = _allocated; i <= last; i++)
        {
            chunks[i] = new byte[(_mask + 1) * _codeBytes]; // a slot beyond the published rows: no reader looks at it yet
            bytes += chunks[i].Length;
        }
        _allocated = last + 1;
        Volatile.Write(ref _allocatedBytes, bytes);
        Volatile.Write(ref _chunks, chunks); // release: a reader that sees the directory sees its chunks
        return chunks;
    }

    /// <summary>Replaces the short chunk <paramref name="chunk"/> by a whole one holding the same rows.</summary>
    private byte[] Widen(byte[][] chunks, int chunk)
    {
        Debug.Assert(chunk == _allocated - 1, $"only the last chunk may be short; chunk {chunk} of {_allocated} is");
        byte[] old = chunks[chunk];
        byte[] whole = new byte[(_mask + 1) * _codeBytes];
        old.CopyTo(whole, 0);
        Volatile.Write(ref _allocatedBytes, _allocatedBytes + whole.Length - old.Length);
        Volatile.Write(ref chunks[chunk], whole); // release: a reader that reads this slot reads the copied rows
        return whole;
    }

    /// <summary>Returns a reader's view: the chunk directory as of now.</summary>
    internal View GetView() => new(this, Volatile.Read(ref _chunks), _shift, _mask, _codeBytes);

    /// <summary>
    /// Row <paramref name="row"/>'s code read through the directory as of now: the slow path of a <see cref="View"/> taken
    /// before the row's chunk was added or widened (a search's view is taken before its graph view, so the walk can reach
    /// a node inserted in between).
    /// </summary>
    private ReadOnlySpan<byte> GetLatest(int row)
    {
        byte[][] chunks = Volatile.Read(ref _chunks);
        return Volatile.Read(ref chunks[row >> _shift]).AsSpan((row & _mask) * _codeBytes, _codeBytes);
    }

    /// <summary>
    /// A reader's view of the codes: the chunk directory as of <see cref="GetView"/>, read without locks. A row written
    /// after the view was taken (its chunk added or widened since) is read through the store's current directory.
    /// </summary>
    internal readonly struct View
    {
        private readonly CodeStore _store;
        private readonly byte[][] _chunks;
        private readonly int _shift;
        private readonly int _mask;
        private readonly int _codeBytes;

        internal View(CodeStore store, byte[][] chunks, int shift, int mask, int codeBytes)
        {
            _store = store;
            _chunks = chunks;
            _shift = shift;
            _mask = mask;
            _codeBytes = codeBytes;
        }

        /// <summary>Returns row <paramref name="row"/>'s code.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ReadOnlySpan<byte> Get(int row)
        {
            byte[][] chunks = _chunks;
            int chunk = row >> _shift;
            int offset = (row & _mask) * _codeBytes;
            if ((uint)chunk < (uint)chunks.Length && chunks[chunk] is { } bytes && (uint)(offset + _codeBytes) <= (uint)bytes.Length)
            {
                return new ReadOnlySpan<byte>(bytes, offset, _codeBytes);
            }
            return _store.GetLatest(row);
        }

        /// <summary>Starts loading row <paramref name="row"/>'s code into the cache (a search does this for a node's neighbours before scoring them).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void Prefetch(int row)
        {
            byte[][] chunks = _chunks;
            int chunk = row >> _shift;
            int offset = (row & _mask) * _codeBytes;
            if ((uint)chunk < (uint)chunks.Length && chunks[chunk] is { } bytes && (uint)(offset + _codeBytes) <= (uint)bytes.Length)
            {
                Vectors.CodeKernels.Prefetch(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(bytes), offset), _codeBytes);
            }
        }
    }
}
