namespace VectLite.Records;

/// <summary>
/// The keys of a <see cref="CollectionState"/> in id order, per namespace, so a scroll page seeks to its cursor and reads
/// the next keys instead of scanning every row. Built by readers, lazily, from the append-only rows; the writer never
/// touches it, so writes cost nothing more.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>Every key of a state starts exactly one row: the row written when the key was first seen there, the one with
/// <see cref="CollectionState.PreviousRow"/> -1 (later versions, deletions and re-inserts link back to it). The index holds each
/// key once, from that row, and never removes it: a key deleted later stays until a checkpoint builds a fresh state (and
/// with it a fresh index), and a reader resolves every key against its own snapshot (<see cref="CollectionState.FindVisibleRow"/>),
/// which drops deleted, expired and not-yet-written keys. So the index only needs to hold at least the keys of the
/// reader's snapshot: holding the keys of a newer snapshot too is harmless.</item>
/// <item>It covers the rows below <see cref="Coverage.Rows"/>. A reader whose snapshot has more rows extends it first:
/// the keys started in the new rows are sorted into a new run per namespace (O(k log k) for k new keys), under a lock
/// only readers take. Rows below a published snapshot's row count never change, so reading them is safe.</item>
/// <item>Runs of a namespace are kept in decreasing size, each more than twice the next: a new run is merged into the
/// last one while that is at most twice its size (as a binary counter carries). So a namespace has O(log n) runs, each
/// key is merged O(log n) times in all, and a workload that writes between every two pages costs O(n log n) overall,
/// not O(n) per page. A collection that is not written while it is scrolled has one run per namespace.</item>
/// <item>A page seeks into each run by binary search and merges the runs' heads: O(runs x log n + (limit + skipped) x
/// runs), where skipped counts the keys passed over (deleted, expired, or not matching the page's filter).</item>
/// </list>
/// Each extension publishes a new immutable <see cref="Coverage"/>: a reader works on the one it took.
/// </remarks>
internal sealed class OrderedKeyIndex
{
    private readonly object _extendGate = new();
    private Coverage _current = Coverage.Empty;

    /// <summary>Bytes held by the runs (a record id is 16 bytes; a string id's characters are the key map's).</summary>
    public long MemoryBytes => Volatile.Read(ref _current).Keys * 16L;

    /// <summary>
    /// The index covering at least the rows below <paramref name="rowCount"/>, extending it from <paramref name="state"/>'s
    /// rows if needed. Reader side: <paramref name="rowCount"/> is a published snapshot's.
    /// </summary>
    public Coverage Cover(CollectionState state, int rowCount)
    {
        Coverage current = Volatile.Read(ref _current);
        if (current.Rows >= rowCount)
        {
            return current;
        }
        lock (_extendGate)
        {
            current = _current;
            if (current.Rows >= rowCount)
            {
                return current;
            }
            Coverage extended = current.Extend(state, rowCount);
            Volatile.Write(ref _current, extended);
            return extended;
        }
    }

    /// <summary>The runs of every namespace as of a row count: immutable once published.</summary>
    internal sealed class Coverage
    {
        public static readonly Coverage Empty = new(0, [], 0, [], []);

        private readonly RecordId[][][] _runsByNamespace;
        private readonly string[] _sortedNames;
        private readonly int[] _sortedIds;

        private Coverage(int rows, RecordId[][][] runsByNamespace, long keys, string[] sortedNames, int[] sortedIds)
        {
            Rows = rows;
            _runsByNamespace = runsByNamespace;
            Keys = keys;
            _sortedNames = sortedNames;
            _sortedIds = sortedIds;
        }

        /// <summary>Every key started in a row below this is held.</summary>
        public int Rows { get; }

        /// <summary>Keys held, over all namespaces.</summary>
        public long Keys { get; }

        /// <summary>The sorted runs of one namespace, largest first (none for a namespace with no key yet).</summary>
        public RecordId[][] Runs(int namespaceId) =>
            (uint)namespaceId < (uint)_runsByNamespace.Length ? _runsByNamespace[namespaceId] : [];

        /// <summary>
        /// The namespaces holding keys, by ordinal name, from the first whose name is at or after <paramref name="from"/>
        /// (all for null): the order an all-namespaces scroll lists them in. A namespace with no key here has nothing to list.
        /// </summary>
        public IEnumerable<(string Name, int Id)> NamespacesFrom(string? from)
        {
            int start = 0;
            if (from is not null)
            {
                start = Array.BinarySearch(_sortedNames, from, StringComparer.Ordinal);
                if (start < 0)
                {
                    start = ~start;
                }
            }
            for (int i = start; i < _sortedNames.Length; i++)
            {
                yield return (_sortedNames[i], _sortedIds[i]);
            }
        }

        /// <summary>This coverage plus the keys started in rows [<see cref="Rows"/>, <paramref name="rowCount"/>).</summary>
        public Coverage Extend(CollectionState state, int rowCount)
        {
            var started = new List<RecordId>?[Math.Max(_runsByNamespace.Length, state.Namespaces.Count)];
            long added = 0;
            for (int row = Rows; row < rowCount; row++)
            {
                if (state.PreviousRow(row) >= 0)
                {
                    continue; // a later version of a key already started
                }
                int namespaceId = state.NamespaceOf(row);
                if (namespaceId >= started.Length)
                {
                    Array.Resize(ref started, namespaceId + 1); // interned after the table was read
                }
                (started[namespaceId] ??= []).Add(state.Row(row).Id);
                added++;
            }

            var runs = new RecordId[started.Length][][];
            for (int ns = 0; ns < runs.Length; ns++)
            {
                RecordId[][] old = Runs(ns);
                if (started[ns] is not { } ids)
                {
                    runs[ns] = old;
                    continue;
                }
                RecordId[] run = [.. ids];
                Array.Sort(run);
                runs[ns] = WithRun(old, run);
            }
            var holding = new List<int>();
            for (int ns = 0; ns < runs.Length; ns++)
            {
                if (runs[ns].Length > 0)
                {
                    holding.Add(ns);
                }
            }
            int[] sortedIds = [.. holding];
            string[] sortedNames = [.. holding.Select(state.Namespaces.NameOf)];
            Array.Sort(sortedNames, sortedIds, StringComparer.Ordinal);
            return new Coverage(rowCount, runs, Keys + added, sortedNames, sortedIds);
        }

        /// <summary>
        /// <paramref name="runs"/> plus <paramref name="run"/>, merging from the end while a run is at most twice the
        /// size of the one after it, so sizes fall geometrically and a namespace keeps O(log n) runs.
        /// </summary>
        private static RecordId[][] WithRun(RecordId[][] runs, RecordId[] run)
        {
            var list = new List<RecordId[]>(runs.Length + 1);
            list.AddRange(runs);
            list.Add(run);
            while (list.Count >= 2 && list[^2].Length <= 2L * list[^1].Length)
            {
                RecordId[] merged = IdRun.Merge(list[^2], list[^1]);
                list.RemoveRange(list.Count - 2, 2);
                list.Add(merged);
            }
            return [.. list];
        }
    }
}
