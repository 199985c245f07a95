using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace VectLite.Quantization;

/// <summary>
/// The codes of one named vector, one fixed-size row per dense row id, in managed chunks that never move: like
/// <see cref="Vectors.VectorArena"/>, growth appends chunks and publishes a new directory, so a reader's view stays
/// valid while the writer appends.
/// </summary>
/// <remarks>Thread safety: one writer (<see cref="Write"/>), any number of readers of rows the writer has published.</remarks>
internal sealed class CodeStore
{
    /// <summary>The size a chunk stays within: small enough that a small collection reserves little.</summary>
    private const int TargetChunkBytes = 1 << 20;

    private readonly int _codeBytes;
    private readonly int _shift;
    private readonly int _mask;
    private byte[][] _chunks = [];

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

    /// <summary>Bytes of memory the allocated chunks hold.</summary>
    internal long MemoryBytes => (long)Volatile.Read(ref _chunks).Length * ((long)(_mask + 1) * _codeBytes);

    /// <summary>Returns a writable view of row <paramref name="row"/>'s code, growing the store as needed. Writer only.</summary>
    internal Span<byte> Write(int row)
    {
        int chunk = row >> _shift;
        byte[][] chunks = _chunks;
        if (chunk >= chunks.Length)
        {
            var grown = new byte[Math.Max(chunk + 1, chunks.Length * 2)][];
            chunks.CopyTo(grown, 0);
            for (int i = chunks.Length; i < grown.Length; i++)
            {
                grown[i] = new byte[(_mask + 1) * _codeBytes];
            }
            Volatile.Write(ref _chunks, grown); // release: a reader that sees the directory sees its chunks
            chunks = grown;
        }
        return chunks[chunk].AsSpan((row & _mask) * _codeBytes, _codeBytes);
    }

    /// <summary>Returns a reader's view: the chunk directory as of now.</summary>
    internal View GetView() => new(Volatile.Read(ref _chunks), _shift, _mask, _codeBytes);

    /// <summary>A snapshot of the chunk directory for a search; rows must be ones the writer had published.</summary>
    internal readonly struct View
    {
        private readonly byte[][] _chunks;
        private readonly int _shift;
        private readonly int _mask;
        private readonly int _codeBytes;

        internal View(byte[][] chunks, int shift, int mask, int codeBytes)
        {
            _chunks = chunks;
            _shift = shift;
            _mask = mask;
            _codeBytes = codeBytes;
        }

        /// <summary>Returns row <paramref name="row"/>'s code.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal ReadOnlySpan<byte> Get(int row) => _chunks[row >> _shift].AsSpan((row & _mask) * _codeBytes, _codeBytes);

        /// <summary>Starts loading row <paramref name="row"/>'s code into the cache (a search does this for a node's neighbours before scoring them).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal void Prefetch(int row) =>
            Vectors.CodeKernels.Prefetch(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks[row >> _shift]), (row & _mask) * _codeBytes), _codeBytes);
    }
}
