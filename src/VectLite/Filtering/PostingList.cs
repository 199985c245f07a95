using System.Diagnostics;

namespace VectLite.Filtering;

/// <summary>
/// The ascending row ids that hold one indexed value: an append-only list written by one thread and read by many.
/// </summary>
/// <remarks>
/// <para>How it works:</para>
/// <list type="bullet">
/// <item>Rows live in chunks of 4, 8, 16, ... up to 8192 ids. A chunk, once allocated, never moves, so a reader
/// never sees memory that is being copied.</item>
/// <item>The writer stores the id in its chunk, then publishes the new count with <see cref="Volatile.Write(ref int, int)"/>.
/// A reader reads the count first (acquire) and then the chunk directory, so every id below that count is
/// written and every chunk it needs is in the directory it sees.</item>
/// <item>The directory (the array of chunks) is replaced by a larger copy when full; old copies stay valid for
/// readers that hold them, because they still point at the same chunks.</item>
/// <item>Rows arrive in increasing order, so the list is sorted; a row that holds the value twice (<c>["x","x"]</c>)
/// is stored once.</item>
/// </list>
/// </remarks>
internal sealed class PostingList
{
    private const int FirstChunkLength = 4;
    private const int MaxChunkLength = 8192;

    private int[]?[] _directory = new int[]?[1];
    private int _count;

    // Writer-only state.
    private int _chunkCount;
    private int _usedInLastChunk;
    private int _lastRow = -1;

    /// <summary>Bytes the list holds: its chunks and its directory (an estimate of object headers included).</summary>
    public long MemoryBytes
    {
        get
        {
            int[]?[] directory = Volatile.Read(ref _directory);
            long bytes = 24 + ((long)directory.Length * IntPtr.Size);
            foreach (int[]? chunk in directory)
            {
                bytes += chunk is null ? 0 : 24 + ((long)chunk.Length * sizeof(int));
            }
            return bytes;
        }
    }

    /// <summary>The number of published rows.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Appends <paramref name="row"/>. Writer thread only; rows must not decrease.</summary>
    public void Add(int row)
    {
        if (row == _lastRow)
        {
            return;
        }

        Debug.Assert(row > _lastRow, $"Posting list rows must increase: got {row} after {_lastRow}.");
        int[]? chunk = _chunkCount == 0 ? null : _directory[_chunkCount - 1];
        if (chunk is null || _usedInLastChunk == chunk.Length)
        {
            chunk = new int[chunk is null ? FirstChunkLength : Math.Min(chunk.Length * 2, MaxChunkLength)];
            if (_chunkCount == _directory.Length)
            {
                var grown = new int[]?[_directory.Length * 2];
                Array.Copy(_directory, grown, _chunkCount);
                grown[_chunkCount] = chunk;
                Volatile.Write(ref _directory, grown);
            }
            else
            {
                // No reader looks at this slot until the count below covers it.
                _directory[_chunkCount] = chunk;
            }

            _chunkCount++;
            _usedInLastChunk = 0;
        }

        chunk[_usedInLastChunk++] = row;
        _lastRow = row;
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>Appends every published row below <paramref name="rowLimit"/> to <paramref name="into"/>. Safe on any thread.</summary>
    public void CopyBelow(int rowLimit, RowBuffer into) => CopyBelow(rowLimit, new BufferSink(into));

    /// <summary>Appends every published row below <paramref name="rowLimit"/> to <paramref name="into"/>. Safe on any thread.</summary>
    public void CopyBelow<TSink>(int rowLimit, TSink into)
        where TSink : struct, IRowSink
    {
        int remaining = Volatile.Read(ref _count);
        int[]?[] directory = Volatile.Read(ref _directory);
        for (int c = 0; remaining > 0; c++)
        {
            int[] chunk = directory[c]!;
            int n = Math.Min(chunk.Length, remaining);
            for (int i = 0; i < n; i++)
            {
                int row = chunk[i];
                if (row >= rowLimit)
                {
                    return; // ascending: nothing further is below the limit
                }

                into.Add(row);
            }

            remaining -= n;
        }
    }
}
