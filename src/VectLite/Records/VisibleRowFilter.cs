using System.Runtime.CompilerServices;
using VectLite.Filtering;
using VectLite.Search;

namespace VectLite.Records;

/// <summary>
/// The row test every read applies: visible in the snapshot (not deleted, not expired), in the requested namespace,
/// and matching the payload filter. A struct so the scan kernels call it without a virtual dispatch.
/// </summary>
/// <remarks>
/// <para>A search may give it a row set (<see cref="UseRowSet"/>): the rows its payload indexes and namespace allow,
/// built once per query. Then a row outside the set is rejected with one bit test, and when the set answers the filter
/// exactly (and covers the namespace) a row inside it needs only the visibility test: no JSON is read.</para>
/// <para>When the payload must still be evaluated (no index answers the filter, or only part of it), the verdicts can
/// be cached per row for the query (<see cref="CacheVerdicts"/>): a two-hop graph walk tests some rows many times.</para>
/// <para>Holds rented sets: call <see cref="Release"/> when the query is done.</para>
/// </remarks>
internal struct VisibleRowFilter : IRowFilter
{
    private readonly CollectionState _state;
    private readonly Snapshot _snapshot;
    private readonly long _nowTicks;
    private readonly int _namespaceId;
    private readonly Filter? _filter;
    private RowBitset? _rows;
    private bool _rowsShared;
    private Filter? _residual;
    private bool _checkNamespace;
    private ColumnFilter? _columns;
    private RowBitset? _evaluated;
    private RowBitset? _verdicts;

    /// <summary>Rows at or above this are rejected (<see cref="LimitToIndexed"/>); int.MaxValue when no limit applies.</summary>
    private int _indexedBelow;

    /// <summary>Tests rows against <paramref name="snapshot"/> at <paramref name="nowTicks"/>, in namespace <paramref name="namespaceId"/> (-1: any) and matching <paramref name="filter"/> (null: any).</summary>
    public VisibleRowFilter(CollectionState state, Snapshot snapshot, long nowTicks, int namespaceId, Filter? filter)
    {
        _state = state;
        _snapshot = snapshot;
        _nowTicks = nowTicks;
        _namespaceId = namespaceId;
        _filter = filter;
        _residual = filter;
        _checkNamespace = namespaceId >= 0;
        _indexedBelow = int.MaxValue;
    }

    /// <summary>True when a namespace or payload filter applies (not only deletion and expiry).</summary>
    public readonly bool HasConditions => _namespaceId >= 0 || _filter is not null;

    /// <summary>True when every row below the snapshot's row count passes: nothing to test per row.</summary>
    public readonly bool AcceptsAll => _namespaceId < 0 && _filter is null && !_snapshot.AnyDeleted && !_snapshot.AnyExpiring;

    /// <summary>The row set in use, or null: every row that passes is in it.</summary>
    public readonly RowBitset? RowSet => _rows;

    /// <summary>True when a row's payload is evaluated per row (no row set answers the whole filter).</summary>
    public readonly bool EvaluatesPayloads => _residual is not null;

    /// <summary>
    /// Restricts the test to the rows of <paramref name="rows"/> (over the snapshot's rows), which now belongs to this
    /// filter, unless <paramref name="shared"/> (a set the payload indexes keep for a repeated filter: read only, never
    /// given back). <paramref name="answersFilter"/>: every row of the set matches the payload filter, so payloads are no
    /// longer evaluated; <paramref name="coversNamespace"/>: every row of the set is in the namespace.
    /// </summary>
    public void UseRowSet(RowBitset rows, bool answersFilter, bool coversNamespace, bool shared = false)
    {
        ReturnRows();
        _rows = rows;
        _rowsShared = shared;
        if (answersFilter)
        {
            _residual = null;
        }
        if (coversNamespace)
        {
            _checkNamespace = false;
        }
    }

    private void ReturnRows()
    {
        if (!_rowsShared)
        {
            RowBitset.Return(_rows);
        }
        _rows = null;
        _rowsShared = false;
    }

    /// <summary>
    /// Answers the payload filter from the indexes' typed columns where they can (<paramref name="columns"/> is the
    /// filter compiled against them), reading the payload only for rows holding several values of a field.
    /// </summary>
    public void UseColumns(ColumnFilter columns) => _columns = columns;

    /// <summary>
    /// Rejects every row at or above <paramref name="indexedRows"/> (the version the snapshot sees, after a re-pointed
    /// node is mapped back), until called again with int.MaxValue: a graph search of a collection with rows waiting for
    /// the deferred indexer, whose exact scan of those rows is then the only place they can come from (no row twice).
    /// </summary>
    public void LimitToIndexed(int indexedRows) => _indexedBelow = indexedRows;

    /// <summary>Stops testing the namespace: the caller knows every row is in it.</summary>
    public void SkipNamespaceCheck() => _checkNamespace = false;

    /// <summary>Remembers each row's payload verdict for the rest of the query, so a row tested again is not evaluated again.</summary>
    public void CacheVerdicts()
    {
        if (_residual is not null && _evaluated is null)
        {
            _evaluated = RowBitset.Rent(_snapshot.RowCount);
            _verdicts = RowBitset.Rent(_snapshot.RowCount);
        }
    }

    /// <summary>Gives the rented sets back; the filter must not be used afterwards.</summary>
    public void Release()
    {
        ReturnRows();
        RowBitset.Return(_evaluated);
        RowBitset.Return(_verdicts);
        _rows = _evaluated = _verdicts = null;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Accept(int row)
    {
        // Inlined into the walks: most rows a selective walk meets are outside the row set (nine in ten at a 10% filter, in
        // a two-hop walk's look two hops out), and that is one bit test. A row of a later batch (at or above the
        // snapshot's rows) may stand for a row in the set: the full test maps it first.
        RowBitset? rows = _rows;
        if (rows is not null && (uint)row < (uint)_snapshot.RowCount && !rows.Contains(row))
        {
            return false;
        }
        return AcceptCore(row);
    }

    private bool AcceptCore(int row)
    {
        // Graph searches can meet nodes whose rows a later batch wrote: outside this snapshot. A node a payload update
        // re-pointed stands for the version this snapshot sees; any other is a record or vector too new for it.
        if ((uint)row >= (uint)_snapshot.RowCount && (row = _state.VersionIn(row, _snapshot)) < 0)
        {
            return false;
        }
        if (row >= _indexedBelow)
        {
            return false;
        }
        if (_rows is not null && !_rows.Contains(row))
        {
            return false;
        }
        if (!_state.IsVisible(row, _snapshot, _nowTicks))
        {
            return false;
        }
        if (!_checkNamespace && _residual is null)
        {
            return true;
        }
        return Evaluate(row);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool Evaluate(int row)
    {
        if (_checkNamespace && _state.NamespaceOf(row) != _namespaceId)
        {
            return false;
        }
        if (_residual is null)
        {
            return true;
        }
        if (_columns is not null)
        {
            ColumnVerdict verdict = _columns.Test(row);
            if (verdict != ColumnVerdict.Unknown)
            {
                return verdict == ColumnVerdict.Yes;
            }
        }
        return EvaluatePayload(row, in _state.Row(row));
    }

    private bool EvaluatePayload(int row, in RowMeta meta)
    {
        if (_evaluated is null)
        {
            return _residual!.Matches(meta.Payload);
        }
        if (_evaluated.Contains(row))
        {
            return _verdicts!.Contains(row);
        }
        bool verdict = _residual!.Matches(meta.Payload);
        _evaluated.Add(row);
        if (verdict)
        {
            _verdicts!.Add(row);
        }
        return verdict;
    }
}
