using System.Runtime.CompilerServices;

namespace VectLite.Records;

/// <summary>
/// A value per row that most rows leave at a default, in chunks of 4,096 rows that are allocated only when a row in them
/// first takes another value. A chunk never set costs nothing and reads as the default. Used with <see cref="long"/> for
/// deletion marks (default: live) and expiries (default: never), where a state just loaded or compacted holds no chunk
/// at all, and with <see cref="int"/> for a row's namespace (default: the default one) and previous row (default:
/// none), where a collection that never uses namespaces holds no namespace chunk.
/// </summary>
/// <typeparam name="T">A value a reader must read whole: <see cref="int"/> or <see cref="long"/> (aligned, so never torn).</typeparam>
/// <remarks>
/// One writer, any number of readers, no locks. The writer fills a new chunk with the default, stores the value, and
/// only then publishes the chunk in its directory slot (a release write); a reader reads the slot with an acquire read,
/// so it sees null (every row at the default) or a filled chunk. The directory grows by copying its slots into a
/// longer one, published the same way; a set after that goes to the directory it published, which a reader whose
/// snapshot covers the set reads (the snapshot is published after the set, and the reader reads the directory after
/// the snapshot). A reader that read an older directory reads rows its snapshot predates only.
/// </remarks>
internal sealed class SparseColumn<T>(T defaultValue)
    where T : unmanaged, IEquatable<T>
{
    private const int ChunkShift = 12;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;

    private T[]?[] _chunks = [];

    /// <summary>The value of rows never set.</summary>
    public T Default { get; } = defaultValue;

    /// <summary>Row <paramref name="row"/>'s value (an acquire read). The row must be below the capacity ensured.</summary>
    public T this[int row]
    {
        get
        {
            T[]? chunk = Volatile.Read(ref Volatile.Read(ref _chunks)[row >> ChunkShift]);
            return chunk is null ? Default : ReadAcquire(ref chunk[row & ChunkMask]);
        }
    }

    /// <summary>Bytes held: the chunks allocated and the directory.</summary>
    public long MemoryBytes
    {
        get
        {
            T[]?[] chunks = Volatile.Read(ref _chunks);
            long bytes = (long)chunks.Length * IntPtr.Size;
            foreach (T[]? chunk in chunks)
            {
                bytes += chunk is null ? 0 : (long)ChunkSize * Unsafe.SizeOf<T>();
            }
            return bytes;
        }
    }

    /// <summary>Makes room in the directory for <paramref name="rows"/> rows (no chunk is allocated). Writer only.</summary>
    public void EnsureCapacity(int rows)
    {
        int needed = (int)(((long)rows + ChunkMask) >> ChunkShift);
        T[]?[] chunks = _chunks;
        if (needed <= chunks.Length)
        {
            return;
        }
        var grown = new T[]?[Math.Max(needed, chunks.Length * 2)];
        Array.Copy(chunks, grown, chunks.Length);
        Volatile.Write(ref _chunks, grown);
    }

    /// <summary>Sets row <paramref name="row"/>'s value (a release write). Writer only.</summary>
    public void Set(int row, T value)
    {
        T[]?[] chunks = _chunks;
        ref T[]? slot = ref chunks[row >> ChunkShift];
        if (slot is { } chunk)
        {
            WriteRelease(ref chunk[row & ChunkMask], value);
            return;
        }
        if (value.Equals(Default))
        {
            return; // a chunk not allocated reads as the default already
        }
        chunk = new T[ChunkSize];
        if (!Default.Equals(default))
        {
            Array.Fill(chunk, Default);
        }
        chunk[row & ChunkMask] = value;
        Volatile.Write(ref slot, chunk); // release: a reader that sees the chunk sees it filled
    }

    // Volatile.Read/Write have no generic overload for value types. A load followed by a read barrier is an acquire, a
    // write barrier followed by a store a release; a long goes through Volatile's own overload, which also keeps it
    // whole in a 32-bit process. The JIT folds the type test away per instantiation.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReadAcquire(ref T location)
    {
        if (typeof(T) == typeof(long))
        {
            long whole = Volatile.Read(ref Unsafe.As<T, long>(ref location));
            return Unsafe.As<long, T>(ref whole);
        }
        T value = location;
        Volatile.ReadBarrier();
        return value;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRelease(ref T location, T value)
    {
        if (typeof(T) == typeof(long))
        {
            Volatile.Write(ref Unsafe.As<T, long>(ref location), Unsafe.As<T, long>(ref value));
            return;
        }
        Volatile.WriteBarrier();
        location = value;
    }
}
