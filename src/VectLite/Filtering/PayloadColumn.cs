using System.Runtime.CompilerServices;

namespace VectLite.Filtering;

/// <summary>How many values of its index's type a row holds in a <see cref="PayloadColumn{T}"/>.</summary>
internal enum ColumnState : byte
{
    /// <summary>None: no value of the index's type resolves (missing field, another type, no payload).</summary>
    None = 0,

    /// <summary>Exactly one: the column holds it.</summary>
    One = 1,

    /// <summary>Several (an array, or a path that fans out): the column cannot answer; the payload must be read.</summary>
    Several = 2,
}

/// <summary>
/// The typed values of one indexed payload field, by row: what lets a query test a condition on an indexed field in
/// O(1) per row without parsing JSON (a number for a numeric index, a key ordinal for a keyword index, 0/1 for a bool
/// index). Written by the one writer as rows are indexed, read by any number of queries.
/// </summary>
/// <remarks>
/// Rows live in chunks of 4,096 that never move once allocated (a chunk is allocated when a row in it first gets a
/// value; a missing chunk means every row in it is <see cref="ColumnState.None"/>). The chunk directory is replaced by
/// a larger copy when full and published with a volatile write. Readers only read rows below a published row limit,
/// which the engine publishes after the writer indexed them, so every value they read is complete.
/// </remarks>
/// <typeparam name="T">The stored value type.</typeparam>
internal sealed class PayloadColumn<T>
    where T : unmanaged
{
    private const int ChunkShift = 12;
    private const int ChunkMask = (1 << ChunkShift) - 1;

    private Chunk?[] _chunks = new Chunk?[4];
    private int _lastRow = -1;

    /// <summary>Bytes the column holds.</summary>
    public long MemoryBytes
    {
        get
        {
            Chunk?[] chunks = Volatile.Read(ref _chunks);
            long bytes = 24 + (8L * chunks.Length);
            foreach (Chunk? chunk in chunks)
            {
                bytes += chunk is null ? 0 : 48 + ((Unsafe.SizeOf<T>() + 1L) << ChunkShift);
            }
            return bytes;
        }
    }

    /// <summary>Records one value of <paramref name="row"/> (the first makes it <see cref="ColumnState.One"/>, another <see cref="ColumnState.Several"/>). Writer only; rows do not decrease.</summary>
    public void Add(int row, T value)
    {
        int c = row >> ChunkShift;
        if (c >= _chunks.Length)
        {
            var grown = new Chunk?[Math.Max(c + 1, _chunks.Length * 2)];
            _chunks.CopyTo(grown, 0);
            Volatile.Write(ref _chunks, grown);
        }

        Chunk chunk = _chunks[c] ??= new Chunk();
        int i = row & ChunkMask;
        if (row == _lastRow)
        {
            chunk.States[i] = (byte)ColumnState.Several;
            return;
        }

        chunk.Values[i] = value;
        chunk.States[i] = (byte)ColumnState.One;
        _lastRow = row;
    }

    /// <summary>The state of <paramref name="row"/> (below the published row limit) and, when <see cref="ColumnState.One"/>, its value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ColumnState Get(int row, out T value)
    {
        Chunk?[] chunks = Volatile.Read(ref _chunks);
        int c = row >> ChunkShift;
        if ((uint)c >= (uint)chunks.Length || chunks[c] is not { } chunk)
        {
            value = default;
            return ColumnState.None;
        }

        int i = row & ChunkMask;
        value = chunk.Values[i];
        return (ColumnState)chunk.States[i];
    }

    private sealed class Chunk
    {
        public readonly T[] Values = new T[1 << ChunkShift];
        public readonly byte[] States = new byte[1 << ChunkShift];
    }
}
