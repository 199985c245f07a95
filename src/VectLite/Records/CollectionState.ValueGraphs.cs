using VectLite.Filtering;
using VectLite.Indexing;
using VectLite.Indexing.ValueGraphs;

namespace VectLite.Records;

// Value graphs (Indexing/ValueGraphs): the state's side. A search whose keyword filter avoids the query's neighbourhood
// asks for the field's value graphs; a background builder (CollectionEngine.ValueGraphs) then inserts the rows, and
// the next such searches walk them.
internal sealed partial class CollectionState
{
    /// <summary>Rows the builder takes per pass and field (it holds the value-graph lock meanwhile, which a checkpoint's compaction waits for).</summary>
    internal const int ValueGraphBatchRows = 2_048;

    /// <summary>
    /// Held by the builder while it inserts, and by a compaction while it renumbers the graphs. Lock order: the index
    /// lock, then this, then <see cref="_valueGraphFieldsLock"/>.
    /// </summary>
    private readonly Lock _valueGraphLock = new();

    /// <summary>
    /// Held only while <see cref="_valueGraphFields"/> is replaced: a search asking for a field takes this one, never the
    /// builder's lock, so it does not wait for a pass in progress.
    /// </summary>
    private readonly Lock _valueGraphFieldsLock = new();

    /// <summary>The fields asked for, per named vector (copy on write under <see cref="_valueGraphFieldsLock"/>).</summary>
    private ValueGraphField[] _valueGraphFields = [];

    /// <summary>
    /// Called (outside any lock) when <see cref="RequestValueGraphs"/> adds a field: the engine wakes its builder. Set by
    /// the engine when it installs the state; must not throw.
    /// </summary>
    public Action? ValueGraphsRequested { get; set; }

    /// <summary>Whether any field's value graphs were asked for (so writes should wake the builder).</summary>
    public bool HasValueGraphs => Volatile.Read(ref _valueGraphFields).Length > 0;

    /// <summary>The value graphs of <paramref name="field"/> for the named vector <paramref name="ordinal"/>, or null when never asked for.</summary>
    public ValueGraphField? ValueGraphs(int ordinal, string field)
    {
        foreach (ValueGraphField candidate in Volatile.Read(ref _valueGraphFields))
        {
            if (candidate.Ordinal == ordinal && string.Equals(candidate.Field, field, StringComparison.Ordinal))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <summary>Every field's value graphs asked for, per named vector (a snapshot).</summary>
    internal IReadOnlyList<ValueGraphField> ValueGraphFields => Volatile.Read(ref _valueGraphFields);

    /// <summary>Rows written that some field's value graphs do not cover yet (0: caught up, or none asked for).</summary>
    public int ValueGraphLag
    {
        get
        {
            int rows = Published.RowCount, lag = 0;
            foreach (ValueGraphField graphs in Volatile.Read(ref _valueGraphFields))
            {
                lag = Math.Max(lag, rows - graphs.WaitingFrom);
            }
            return lag;
        }
    }

    /// <summary>Memory held by every value graph.</summary>
    private long ValueGraphMemoryBytes => Volatile.Read(ref _valueGraphFields).Sum(f => f.MemoryBytes);

    /// <summary>
    /// Asks for the value graphs of <paramref name="field"/> (a field with a keyword index, or
    /// <see cref="ValueGraphField.Namespaces"/>) for the named vector
    /// <paramref name="ordinal"/>: a search found they would help. Cheap when already asked for; otherwise the engine
    /// learns of it through <see cref="ValueGraphsRequested"/> and wakes the builder. Any thread.
    /// </summary>
    public void RequestValueGraphs(int ordinal, string field)
    {
        if (ValueGraphs(ordinal, field) is not null)
        {
            return;
        }
        lock (_valueGraphFieldsLock)
        {
            if (ValueGraphs(ordinal, field) is not null || _valueGraphsRetired || !Schema.Hnsw.ValueGraphs)
            {
                return;
            }
            Volatile.Write(ref _valueGraphFields, [.. _valueGraphFields, new ValueGraphField(ordinal, field)]);
        }
        ValueGraphsRequested?.Invoke();
    }

    /// <summary>Set once a compaction took this state's value graphs (they take no more inserts): nothing is built here any more.</summary>
    private bool _valueGraphsRetired;

    /// <summary>
    /// One pass of the value-graph builder: for each field asked for, inserts the published rows from its mark up to
    /// <see cref="ValueGraphBatchRows"/> further into their values' graphs (a value reaching
    /// <see cref="ValueGraphField.MinRows"/> rows gets its graph, built from the first row), then raises the mark.
    /// Returns the rows still waiting (the largest lag over the fields).
    /// </summary>
    /// <param name="isCurrent">Whether this state is still the collection's (checked under the lock, which a compaction
    /// holds while it replaces the state): a retired state is not built on, and 1 is returned so the caller tries again.</param>
    /// <param name="during">Test hook: runs after a field's inserts, before its mark is raised.</param>
    public int BuildValueGraphsPass(Func<CollectionState, bool> isCurrent, Action? during = null)
    {
        lock (_valueGraphLock)
        {
            if (!isCurrent(this))
            {
                return 1;
            }
            Snapshot published = Published;
            int waiting = 0;
            foreach (ValueGraphField field in Volatile.Read(ref _valueGraphFields))
            {
                IEnumerable<KeyValuePair<string, PostingList>> values;
                if (field.Field == ValueGraphField.Namespaces)
                {
                    values = NamespaceValues();
                }
                else if (Indexes.KeywordIndexOn(field.Field) is { } index)
                {
                    values = index.Postings;
                }
                else
                {
                    // The keyword index was dropped: so are its value graphs (a search asks again if one comes back).
                    lock (_valueGraphFieldsLock)
                    {
                        Volatile.Write(ref _valueGraphFields, [.. _valueGraphFields.Where(f => f != field)]);
                    }
                    continue;
                }
                int from = field.CoveredRows;
                int upTo = (int)Math.Min(published.RowCount, (long)from + ValueGraphBatchRows);
                // Without new rows only a graph being built (or a value that lost its graph) needs a pass: a value
                // reaches MinRows only through new rows.
                if (upTo > from || field.HasWorkBelowMark)
                {
                    InsertValueRows(field, values, from, upTo, published.Lsn);
                    field.TakeCheckValues(); // only now: until the values without a graph are pending, a waiter must see them waiting
                    during?.Invoke();
                    field.SetCovered(upTo);
                }
                waiting = Math.Max(waiting, published.RowCount - field.WaitingFrom);
            }
            return waiting;
        }
    }

    /// <summary>
    /// Inserts the live rows in [<paramref name="from"/>, <paramref name="upTo"/>) of each value with a graph into it.
    /// A value without one that holds <see cref="ValueGraphField.MinRows"/> rows gets one built in steps: each pass
    /// inserts up to <see cref="ValueGraphBatchRows"/> more of its live rows below <paramref name="upTo"/>, from where the
    /// last step stopped, and the graph is published once it holds them all (a new value's first step usually does:
    /// its rows below the mark are few).
    /// </summary>
    private void InsertValueRows(ValueGraphField field, IEnumerable<KeyValuePair<string, PostingList>> values, int from, int upTo, long deadAtOrBefore)
    {
        HnswOptions options = Schema.Hnsw;
        int threads = options.MaxInsertThreads > 0 ? options.MaxInsertThreads : Environment.ProcessorCount;
        var listed = new List<int>();
        var rows = new List<int>();
        foreach ((string value, PostingList postings) in values)
        {
            bool exists = field.TryGet(value, out HnswGraph? graph);
            int start = from;
            if (!exists)
            {
                if (postings.Count < ValueGraphField.MinRows)
                {
                    field.SetPending(value, null, 0); // shrank below the size for a graph: forget a build in progress
                    continue;
                }
                (graph, start) = field.Pending(value);
            }
            listed.Clear();
            postings.CopyBelow(upTo, new ListSink(listed));
            rows.Clear();
            int reached = upTo;
            foreach (int row in listed)
            {
                if (row >= start && _deletedAt[row] > deadAtOrBefore)
                {
                    if (!exists && rows.Count == ValueGraphBatchRows)
                    {
                        reached = row; // this step stops here; the next pass goes on from this row
                        break;
                    }
                    rows.Add(row);
                }
            }
            if (rows.Count > 0)
            {
                graph ??= new HnswGraph(Arenas[field.Ordinal], Schema.Vectors[field.Ordinal].Metric, _hnswParameters);
                graph.AddMany(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(rows), rows.Count >= options.ParallelInsertThreshold ? threads : 1);
            }
            if (exists || graph is null)
            {
                continue;
            }
            if (reached == upTo)
            {
                field.SetPending(value, null, 0);
                field.Add(value, graph); // visible complete: every live row of the value below upTo is in it
            }
            else
            {
                field.SetPending(value, graph, reached);
            }
        }
    }

    /// <summary>
    /// Compaction: this state's value graphs renumbered for <paramref name="fresh"/> (see <see cref="ValueGraphField.Remap"/>),
    /// installed there. This state's graphs take no more inserts, so it is retired as far as value graphs go. Call with
    /// the index lock held (no builder pass runs on a state being compacted once this holds the value-graph lock).
    /// </summary>
    internal void MoveValueGraphsTo(CollectionState fresh, int[] oldRowToNewRow)
    {
        lock (_valueGraphLock)
        {
            ValueGraphField[] fields;
            lock (_valueGraphFieldsLock)
            {
                _valueGraphsRetired = true;
                fields = _valueGraphFields;
                Volatile.Write(ref _valueGraphFields, []);
            }
            if (fields.Length == 0)
            {
                return;
            }
            var moved = new ValueGraphField[fields.Length];
            for (int i = 0; i < fields.Length; i++)
            {
                moved[i] = fields[i].Remap(oldRowToNewRow, fresh.Arenas[fields[i].Ordinal], Schema.Hnsw.TombstoneRebuildPercent);
            }
            lock (fresh._valueGraphFieldsLock)
            {
                Volatile.Write(ref fresh._valueGraphFields, moved); // the engine wakes the builder once it installs the fresh state
            }
        }
    }

    /// <summary>
    /// A copy of every value graph as it is now, for a checkpoint to save (<see cref="ValueGraphField.Freeze"/>): taken
    /// between two builder passes, so each field's graphs hold exactly the rows below its mark. Call with the index lock
    /// held (lock order); waits for a pass in progress (at most <see cref="ValueGraphBatchRows"/> rows per field).
    /// </summary>
    internal ValueGraphField[] FreezeValueGraphs()
    {
        if (!HasValueGraphs)
        {
            return [];
        }
        lock (_valueGraphLock)
        {
            return [.. Volatile.Read(ref _valueGraphFields).Select(f => f.Freeze())];
        }
    }

    /// <summary>
    /// Installs value graphs read from the checkpoint this state was loaded from, before it is published: the fields
    /// whose keyword index the state still has (and the namespace graphs), when <see cref="HnswOptions.ValueGraphs"/> is
    /// on. Their marks may be below the rows: the builder, woken by the engine, inserts the rest. Returns the fields
    /// installed.
    /// </summary>
    internal int InstallValueGraphs(IEnumerable<ValueGraphField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (!Schema.Hnsw.ValueGraphs)
        {
            return 0;
        }
        ValueGraphField[] kept = [.. fields.Where(f => f.Field == ValueGraphField.Namespaces || Indexes.KeywordIndexOn(f.Field) is not null)];
        lock (_valueGraphFieldsLock)
        {
            Volatile.Write(ref _valueGraphFields, kept);
        }
        return kept.Length;
    }

    /// <summary>Forgets every value graph (<see cref="HnswOptions.ValueGraphs"/> turned off); a builder pass in progress finishes on graphs no search uses any more.</summary>
    public void DropValueGraphs()
    {
        lock (_valueGraphFieldsLock)
        {
            Volatile.Write(ref _valueGraphFields, []);
        }
    }

    /// <summary>After a failed compaction: this state stays the collection's, so value graphs may be asked for (and built) on it again.</summary>
    internal void ReviveValueGraphs()
    {
        lock (_valueGraphFieldsLock)
        {
            _valueGraphsRetired = false;
        }
    }

    /// <summary>Each namespace's name and rows (none while there is only the default one: it then holds every row).</summary>
    private IEnumerable<KeyValuePair<string, PostingList>> NamespaceValues()
    {
        int count = Namespaces.Count;
        for (int id = 0; count > 1 && id < count; id++)
        {
            yield return new(Namespaces.NameOf(id), NamespaceRows(id));
        }
    }

    /// <summary>Collects a posting list's rows into a list.</summary>
    private readonly struct ListSink(List<int> list) : IRowSink
    {
        public void Add(int row) => list.Add(row);
    }
}
