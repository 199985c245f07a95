using System.Collections.ObjectModel;
using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// The payload indexes of one collection, and the planner step that turns a filter into a candidate row set.
/// </summary>
/// <remarks>
/// <para><b>Threads.</b> One writer thread calls <see cref="Define"/>, <see cref="Remove"/> and <see cref="Add"/>;
/// any number of readers call <see cref="TryGetCandidates"/> and <see cref="Definitions"/> at the same time.
/// Readers never block and never see a torn structure:</para>
/// <list type="bullet">
/// <item>The set of field indexes is an immutable <see cref="Snapshot"/>, replaced as a whole (copy on write) by
/// <see cref="Define"/> and <see cref="Remove"/>; a query reads the reference once.</item>
/// <item>Each field index is append-only and publishes with volatile writes (see <see cref="PostingList"/> and
/// <see cref="NumericRangeIndex"/>).</item>
/// <item>A reader passes a <c>rowLimit</c>: the engine publishes a row only after <see cref="Add"/> returns for it,
/// so every row below the limit is fully indexed; rows at or above it may be half indexed and are ignored.</item>
/// </list>
/// <para><b>Rows.</b> Rows are added once each, in increasing order, and never removed: the engine appends a new
/// row for an update, tombstones the old one, checks liveness itself, and rebuilds the set at checkpoint.
/// An index defined after rows were added lacks those rows, so it is not consulted until the engine rebuilds the
/// set (it should do so at once when an index is created on a non-empty collection).</para>
/// </remarks>
internal sealed class PayloadIndexSet
{
    private Snapshot _snapshot = Snapshot.Empty;
    private int _lastRow = -1;

    /// <summary>Bytes of memory the indexes hold (see <see cref="FieldIndex.MemoryBytes"/>).</summary>
    public long MemoryBytes => Volatile.Read(ref _snapshot).Indexes.Sum(index => index.MemoryBytes);

    /// <summary>The defined indexes, in definition order.</summary>
    public IReadOnlyList<(string Field, PayloadIndexKind Kind)> Definitions => Volatile.Read(ref _snapshot).Definitions;

    /// <summary>
    /// Defines an index of <paramref name="kind"/> on <paramref name="fieldPath"/>. Defining the same field with the
    /// same kind again does nothing. Writer thread only.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="fieldPath"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined value.</exception>
    /// <exception cref="SchemaException">The path is invalid, or the field already has an index of another kind.</exception>
    public void Define(string fieldPath, PayloadIndexKind kind)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown payload index kind.");
        }

        if (!PayloadPath.TryCreate(fieldPath, out PayloadPath? path, out string? error))
        {
            throw new SchemaException($"Cannot index field '{fieldPath}': {error}.");
        }

        Snapshot current = _snapshot;
        if (current.ByField.TryGetValue(fieldPath, out FieldIndex? existing))
        {
            if (existing.Kind == kind)
            {
                return;
            }

            throw new SchemaException(
                $"Field '{fieldPath}' already has a {existing.Kind} index; remove it before defining a {kind} index.");
        }

        bool isComplete = _lastRow < 0;
        FieldIndex index = kind switch
        {
            PayloadIndexKind.Keyword => new KeywordIndex(path, isComplete),
            PayloadIndexKind.Numeric => new NumericRangeIndex(path, isComplete),
            _ => new BoolIndex(path, isComplete),
        };

        Volatile.Write(ref _snapshot, new Snapshot([.. current.Indexes, index]));
    }

    /// <summary>Removes the index on <paramref name="fieldPath"/>; false when there is none. Writer thread only.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="fieldPath"/> is null.</exception>
    public bool Remove(string fieldPath)
    {
        ArgumentNullException.ThrowIfNull(fieldPath);
        Snapshot current = _snapshot;
        if (!current.ByField.TryGetValue(fieldPath, out FieldIndex? removed))
        {
            return false;
        }

        FieldIndex[] remaining = Array.FindAll(current.Indexes, index => !ReferenceEquals(index, removed));
        Volatile.Write(ref _snapshot, new Snapshot(remaining));
        return true;
    }

    /// <summary>
    /// Indexes row <paramref name="row"/>'s payload under every defined field. <paramref name="payload"/> is the
    /// payload object, or <c>default(JsonElement)</c> for a record without one. Writer thread only; the element is
    /// not retained.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="row"/> is negative or not above the last row added.</exception>
    public void Add(int row, JsonElement payload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        if (row <= _lastRow)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Rows must be added in increasing order; the last row added was {_lastRow}.");
        }

        foreach (FieldIndex index in _snapshot.Indexes)
        {
            index.Add(row, payload);
        }

        _lastRow = row;
    }

    /// <summary>
    /// Uses the indexes to narrow <paramref name="filter"/> to candidate rows. On true, <paramref name="rows"/> is
    /// ascending, duplicate-free, below <paramref name="rowLimit"/>, and holds every row below the limit that matches
    /// (it may hold more: the caller re-checks each with <see cref="Filter"/> evaluation and liveness). On false the
    /// indexes cannot narrow the filter, <paramref name="rows"/> is empty, and the caller must scan.
    /// Safe to call from any thread while the writer adds.
    /// </summary>
    /// <remarks>
    /// A condition is answerable when its field has a complete index and the operator and operand types fit the
    /// index kind (see <see cref="PayloadIndexKind"/>). An AND is answerable when any child is (the answerable
    /// children's sets are intersected); an OR only when every child is (union). NOT, <c>$ne</c>, <c>$nin</c>,
    /// <c>$exists</c> and anything involving <c>null</c> are not answerable.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLimit"/> is negative.</exception>
    public bool TryGetCandidates(Filter filter, int rowLimit, out int[] rows)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(rowLimit);
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        int[]? result = snapshot.Indexes.Length == 0 ? null : Collect(snapshot, filter, rowLimit);
        rows = result ?? [];
        return result is not null;
    }

    /// <summary>
    /// Uses the indexes to narrow <paramref name="filter"/> to a set of rows below <paramref name="rowLimit"/>, as
    /// <see cref="TryGetCandidates"/> does, but as a <see cref="RowBitset"/> built without sorting: the form a query
    /// tests per visited node. On true, <paramref name="rows"/> (rented: give it back with <see cref="RowBitset.Return"/>)
    /// holds every matching row below the limit, and <paramref name="exact"/> says whether it holds only those, so no
    /// payload needs evaluating (liveness is still the caller's to check). On false <paramref name="rows"/> is null.
    /// Safe to call from any thread while the writer adds.
    /// </summary>
    /// <remarks>
    /// Exact when every condition the answer rests on is (equality and ranges, see <see cref="FieldIndex.TryMark"/>)
    /// and nothing was left out: an AND with an unanswerable child, or a <c>$contains</c>, gives a superset.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLimit"/> is negative.</exception>
    public bool TryMark(Filter filter, int rowLimit, out RowBitset? rows, out bool exact) =>
        MarkAndOffer(filter, rowLimit, share: false, out rows, out exact, out _);

    /// <summary>
    /// The set kept for <paramref name="filter"/> at <paramref name="rowLimit"/> by <see cref="TryMarkShared"/> (a filter
    /// searched again and again, see <see cref="RowSetCache"/>), or false. The set is shared: read it, never change it or
    /// give it back. Safe to call from any thread while the writer adds.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    public bool TryGetShared(Filter filter, int rowLimit, out RowBitset? rows, out bool exact)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RowSetCache? cache = Volatile.Read(ref _snapshot).RowSets;
        rows = null;
        exact = false;
        return cache is not null && cache.TryGet(filter, rowLimit, out rows, out exact);
    }

    /// <summary>For tests: forgets the kept sets and the recorded misses (see <see cref="RowSetCache.ClearForTests"/>).</summary>
    internal void ClearRowSetsForTests() => Volatile.Read(ref _snapshot).RowSets?.ClearForTests();

    /// <summary>
    /// Records that a search of <paramref name="filter"/> at <paramref name="rowLimit"/> found no kept set, and returns
    /// true when it is the filter's second such miss at that limit: a set built now and given to
    /// <see cref="TryMarkShared"/> is kept. For searches that build no set the first time (a filter most rows pass).
    /// Safe to call from any thread while the writer adds.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    public bool RepeatsMiss(Filter filter, int rowLimit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        RowSetCache? cache = Volatile.Read(ref _snapshot).RowSets;
        return cache is not null && cache.NoteMiss(filter, rowLimit);
    }

    /// <summary>
    /// As <see cref="TryMark"/>, and offers the set built to the cache of repeated filters, which keeps it on the filter's
    /// second miss at the same row limit. <paramref name="shared"/> true: the cache kept it, and the caller must treat it
    /// as <see cref="TryGetShared"/>'s (never change it or give it back); false: the caller owns it, as with
    /// <see cref="TryMark"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rowLimit"/> is negative.</exception>
    public bool TryMarkShared(Filter filter, int rowLimit, out RowBitset? rows, out bool exact, out bool shared) =>
        MarkAndOffer(filter, rowLimit, share: true, out rows, out exact, out shared);

    private bool MarkAndOffer(Filter filter, int rowLimit, bool share, out RowBitset? rows, out bool exact, out bool shared)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(rowLimit);
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        exact = false;
        shared = false;
        rows = snapshot.Indexes.Length == 0 ? null : Mark(snapshot, filter, rowLimit, out exact);
        if (rows is not null && share)
        {
            // Offered to the cache of the snapshot the set was built from: a set built before an index was defined or
            // removed never reaches the next generation's cache.
            shared = snapshot.RowSets!.Offer(filter, rowLimit, rows, exact);
        }
        return rows is not null;
    }

    /// <summary>
    /// Compiles <paramref name="filter"/> against the indexes' typed columns (see <see cref="ColumnFilter"/>), or returns
    /// null when some condition is not one a complete index answers exactly. Safe on any thread while the writer adds;
    /// the result tests rows below the row limit published when it is used.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="filter"/> is null.</exception>
    public ColumnFilter? TryCompile(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        return snapshot.Indexes.Length == 0 ? null : Compile(snapshot, filter);
    }

    private static ColumnFilter? Compile(Snapshot snapshot, Filter filter)
    {
        switch (filter)
        {
            case FieldCondition condition:
                return snapshot.ByField.TryGetValue(condition.Path.Text, out FieldIndex? index) && index.IsComplete
                    ? index.TryCompile(condition)
                    : null;
            case CompositeFilter composite:
                var children = new ColumnFilter[composite.Children.Length];
                for (int i = 0; i < children.Length; i++)
                {
                    if ((children[i] = Compile(snapshot, composite.Children[i])!) is null)
                    {
                        return null;
                    }
                }
                return composite switch
                {
                    AndFilter => new ColumnFilter.All(children),
                    OrFilter => new ColumnFilter.Any(children),
                    _ => null,
                };
            default:
                return null;
        }
    }

    /// <summary>The complete keyword index on <paramref name="field"/>, or null when there is none (or it is still being filled).</summary>
    public KeywordIndex? KeywordIndexOn(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return Volatile.Read(ref _snapshot).ByField.TryGetValue(field, out FieldIndex? index) && index.IsComplete ? index as KeywordIndex : null;
    }

    /// <summary>
    /// The keyword condition every row passing <paramref name="filter"/> meets: a <c>$eq</c> or <c>$in</c> of strings
    /// on a field with a complete keyword index, as the filter itself or as a child of its top-level <c>$and</c> (the
    /// first such child). A row that passes the filter holds one of the condition's values.
    /// </summary>
    public bool TryGetKeywordCondition(Filter filter, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out FieldCondition? condition)
    {
        ArgumentNullException.ThrowIfNull(filter);
        Snapshot snapshot = Volatile.Read(ref _snapshot);
        condition = null;
        if (snapshot.Indexes.Length == 0)
        {
            return false;
        }
        if (filter is AndFilter and)
        {
            foreach (Filter child in and.Children)
            {
                if (IsKeywordCondition(snapshot, child))
                {
                    condition = (FieldCondition)child;
                    return true;
                }
            }
            return false;
        }
        if (IsKeywordCondition(snapshot, filter))
        {
            condition = (FieldCondition)filter;
            return true;
        }
        return false;
    }

    private static bool IsKeywordCondition(Snapshot snapshot, Filter filter)
    {
        if (filter is not FieldCondition { Operator: FilterOperator.Eq or FilterOperator.In } condition
            || !snapshot.ByField.TryGetValue(condition.Path.Text, out FieldIndex? index) || !index.IsComplete || index is not KeywordIndex)
        {
            return false;
        }
        foreach (FilterValue value in condition.Values)
        {
            if (value.Kind != FilterValueKind.String)
            {
                return false;
            }
        }
        return condition.Values.Length > 0;
    }

    /// <summary>The rented candidate set of <paramref name="filter"/>, or null when the indexes cannot narrow it.</summary>
    private static RowBitset? Mark(Snapshot snapshot, Filter filter, int rowLimit, out bool exact)
    {
        exact = false;
        switch (filter)
        {
            case FieldCondition condition:
                if (!snapshot.ByField.TryGetValue(condition.Path.Text, out FieldIndex? index) || !index.IsComplete)
                {
                    return null;
                }

                RowBitset set = RowBitset.Rent(rowLimit);
                if (index.TryMark(condition, rowLimit, set, out exact))
                {
                    return set;
                }

                RowBitset.Return(set);
                return null;

            case AndFilter and:
                RowBitset? intersection = null;
                bool allExact = true;
                foreach (Filter child in and.Children)
                {
                    RowBitset? rows = Mark(snapshot, child, rowLimit, out bool childExact);
                    if (rows is null)
                    {
                        allExact = false; // the caller evaluates this child per row
                        continue;
                    }

                    allExact &= childExact;
                    if (intersection is null)
                    {
                        intersection = rows;
                    }
                    else
                    {
                        intersection.IntersectWith(rows);
                        RowBitset.Return(rows);
                    }
                }

                exact = intersection is not null && allExact;
                return intersection;

            case OrFilter or:
                RowBitset? union = null;
                bool unionExact = true;
                foreach (Filter child in or.Children)
                {
                    RowBitset? rows = Mark(snapshot, child, rowLimit, out bool childExact);
                    if (rows is null)
                    {
                        RowBitset.Return(union);
                        return null; // one unanswerable branch may match any row
                    }

                    unionExact &= childExact;
                    if (union is null)
                    {
                        union = rows;
                    }
                    else
                    {
                        union.UnionWith(rows);
                        RowBitset.Return(rows);
                    }
                }

                exact = unionExact;
                return union;

            default:
                return null;
        }
    }

    /// <summary>The candidate set of <paramref name="filter"/>, or null when the indexes cannot narrow it.</summary>
    private static int[]? Collect(Snapshot snapshot, Filter filter, int rowLimit)
    {
        switch (filter)
        {
            case FieldCondition condition:
                if (!snapshot.ByField.TryGetValue(condition.Path.Text, out FieldIndex? index) || !index.IsComplete)
                {
                    return null;
                }

                var buffer = new RowBuffer();
                return index.TryCollect(condition, rowLimit, buffer) ? buffer.ToSortedUniqueArray() : null;

            case AndFilter and:
                int[]? intersection = null;
                foreach (Filter child in and.Children)
                {
                    int[]? rows = Collect(snapshot, child, rowLimit);
                    if (rows is null)
                    {
                        continue; // the caller's re-check enforces this child
                    }

                    intersection = intersection is null ? rows : SortedRowSets.Intersect(intersection, rows);
                    if (intersection.Length == 0)
                    {
                        break;
                    }
                }

                return intersection;

            case OrFilter or:
                int[] union = [];
                foreach (Filter child in or.Children)
                {
                    int[]? rows = Collect(snapshot, child, rowLimit);
                    if (rows is null)
                    {
                        return null; // one unanswerable branch may match any row
                    }

                    union = SortedRowSets.Union(union, rows);
                }

                return union;

            default:
                return null;
        }
    }

    /// <summary>An immutable view of the defined indexes; replaced as a whole when definitions change.</summary>
    private sealed class Snapshot
    {
        public static readonly Snapshot Empty = new([]);

        public Snapshot(FieldIndex[] indexes)
        {
            Indexes = indexes;
            ByField = new Dictionary<string, FieldIndex>(indexes.Length, StringComparer.Ordinal);
            var definitions = new (string Field, PayloadIndexKind Kind)[indexes.Length];
            for (int i = 0; i < indexes.Length; i++)
            {
                ByField.Add(indexes[i].Path.Text, indexes[i]);
                definitions[i] = (indexes[i].Path.Text, indexes[i].Kind);
            }

            Definitions = new ReadOnlyCollection<(string Field, PayloadIndexKind Kind)>(definitions);
            RowSets = indexes.Length == 0 ? null : new RowSetCache();
        }

        /// <summary>The sets of repeated filters built from these indexes; null when there are none (nothing to build from).</summary>
        public RowSetCache? RowSets { get; }

        public FieldIndex[] Indexes { get; }

        /// <summary>Field path to index; never written after construction, so concurrent reads are safe.</summary>
        public Dictionary<string, FieldIndex> ByField { get; }

        public IReadOnlyList<(string Field, PayloadIndexKind Kind)> Definitions { get; }
    }
}
