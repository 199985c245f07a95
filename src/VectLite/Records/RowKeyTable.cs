using System.Diagnostics;

namespace VectLite.Records;

/// <summary>
/// The key map of a <see cref="CollectionState"/>: each key (namespace, id) to its newest row. An open-addressed table
/// that stores only row numbers, 4 bytes a slot; a slot's key is read from the row it names.
/// </summary>
/// <remarks>
/// <para>Why not a <c>ConcurrentDictionary&lt;RecordKey, int&gt;</c>: that holds a node object per key (the key again,
/// with a string id's reference, a next pointer, a cached hash: 48-64 bytes with the bucket) for what the rows already
/// hold. Here a key costs 5.3 to 10.7 bytes (4 per slot, the table between 3/8 and 3/4 full).</para>
/// <para>How it works:</para>
/// <list type="number">
/// <item>A slot holds row + 1, or 0 when empty. A key hashes to a slot and is looked for from there in the following
/// slots (linear probing), comparing the key of each slot's row, until it is found or an empty slot ends the search.
/// Keys are never removed (a delete is a mark in the state's deletion marks, and a checkpoint builds a fresh state),
/// so no tombstones are needed and an empty slot always ends a search.</item>
/// <item>One writer, any number of readers, no locks. The writer sets a slot only once the row it names is complete
/// (<see cref="Set"/> is called after the row is written), with a release write; a reader reads slots with acquire
/// reads, so the row it compares is complete. Replacing a key's row swaps one slot's row for another row of the same
/// key, so a reader probing past it compares the same key either way.</item>
/// <item>Growth (past 3/4 full) builds a twice larger table from the slots' rows and publishes it whole with a
/// release write; later sets go to the new table only. A reader keeps probing the table it read: it holds every key
/// set before the growth, and a reader whose snapshot covers a later set read that snapshot after the set, and so
/// reads this table's reference after the growth published it (the state publishes its snapshot after the sets).</item>
/// </list>
/// </remarks>
internal sealed class RowKeyTable
{
    /// <summary>The smallest table: a collection of a few records costs 64 bytes.</summary>
    private const int MinimumCapacity = 16;

    private readonly ChunkedList<RowMeta> _rows;
    private readonly SparseColumn<int> _namespaces;
    private int[] _slots = new int[MinimumCapacity];

    /// <summary>Keys held (writer side).</summary>
    private int _count;

    /// <summary>Creates an empty table over <paramref name="rows"/> and <paramref name="namespaces"/>, where each slot's key (id, namespace) is read.</summary>
    public RowKeyTable(ChunkedList<RowMeta> rows, SparseColumn<int> namespaces)
    {
        _rows = rows;
        _namespaces = namespaces;
    }

    /// <summary>Keys held.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes the table holds (the slot array; its object header aside).</summary>
    public long MemoryBytes => (long)Volatile.Read(ref _slots).Length * sizeof(int);

    /// <summary>Tables built by growth (or <see cref="Reserve"/>) so far: tests prove that a lookup overlapped one.</summary>
    internal int Growths => Volatile.Read(ref _growths);

    private int _growths;

    /// <summary>
    /// Test hook: runs during each growth, after the larger table is filled and before it is published (the old table
    /// is still the one readers read), so a test can look keys up while the writer is inside a growth.
    /// </summary>
    internal Action? GrowingForTests { get; set; }

    /// <summary>The newest row of <paramref name="key"/>, or -1 if it was never set. Readers and the writer.</summary>
    public int Find(RecordKey key)
    {
        int[] slots = Volatile.Read(ref _slots);
        int mask = slots.Length - 1;
        for (int i = Home(key, mask); ; i = (i + 1) & mask)
        {
            int value = Volatile.Read(ref slots[i]);
            if (value == 0)
            {
                return -1;
            }
            if (Holds(value - 1, key))
            {
                return value - 1;
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="row"/> the newest row of <paramref name="key"/>: replaces the key's row, or adds the key
    /// (growing the table first when it would pass 3/4 full). Writer only; <paramref name="row"/> must be complete and
    /// hold <paramref name="key"/>, since readers may compare it as soon as this returns (or before).
    /// </summary>
    public void Set(RecordKey key, int row)
    {
        Debug.Assert(row >= 0 && Holds(row, key), $"row {row} must be written, and hold the key it is set for, before it is set");
        int[] slots = _slots;
        int mask = slots.Length - 1;
        int i = Home(key, mask);
        for (; ; i = (i + 1) & mask)
        {
            int value = slots[i];
            if (value == 0)
            {
                break;
            }
            if (Holds(value - 1, key))
            {
                Volatile.Write(ref slots[i], row + 1); // the same key: a reader probing past compares it either way
                return;
            }
        }
        if (!Fits(_count + 1, slots.Length))
        {
            slots = Rebuild(slots, checked(slots.Length * 2));
            mask = slots.Length - 1;
            for (i = Home(key, mask); slots[i] != 0; i = (i + 1) & mask)
            {
            }
        }
        Volatile.Write(ref slots[i], row + 1); // release: the row's writes are visible to whoever reads this slot
        Volatile.Write(ref _count, _count + 1);
    }

    /// <summary>
    /// Grows the table at once to hold <paramref name="keys"/> keys without growing again (a load that knows its
    /// record count: one table instead of a doubling series). Writer only.
    /// </summary>
    public void Reserve(int keys)
    {
        int length = _slots.Length;
        while (!Fits(keys, length))
        {
            length = checked(length * 2);
        }
        if (length > _slots.Length)
        {
            Rebuild(_slots, length);
        }
    }

    /// <summary>Whether <paramref name="keys"/> keys leave a table of <paramref name="length"/> slots at most 3/4 full.</summary>
    private static bool Fits(int keys, int length) => (long)keys * 4 <= (long)length * 3;

    /// <summary>Builds a table of <paramref name="length"/> slots from <paramref name="slots"/>'s rows and publishes it.</summary>
    private int[] Rebuild(int[] slots, int length)
    {
        var grown = new int[length];
        int mask = grown.Length - 1;
        foreach (int value in slots)
        {
            if (value == 0)
            {
                continue;
            }
            int i = Home(new RecordKey(_namespaces[value - 1], _rows[value - 1].Id), mask);
            while (grown[i] != 0)
            {
                i = (i + 1) & mask;
            }
            grown[i] = value;
        }
        GrowingForTests?.Invoke();
        Volatile.Write(ref _slots, grown); // release: a reader that reads the new table reads it filled
        Volatile.Write(ref _growths, _growths + 1);
        return grown;
    }

    /// <summary>Whether row <paramref name="row"/> holds <paramref name="key"/>.</summary>
    private bool Holds(int row, RecordKey key)
    {
        return _rows[row].Id.Equals(key.Id) && _namespaces[row] == key.NamespaceId;
    }

    /// <summary>The slot a key's search starts at. <see cref="HashCode"/> mixes well (sequential ids do not cluster).</summary>
    private static int Home(RecordKey key, int mask) => HashCode.Combine(key.NamespaceId, key.Id) & mask;
}
