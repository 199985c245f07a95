using System.Collections.Concurrent;
using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// Indexes the strings of one field: string value to <see cref="PostingList"/>.
/// The dictionary is a <see cref="ConcurrentDictionary{TKey, TValue}"/> so readers look up and enumerate it, without
/// locks, while the writer inserts new keys.
/// </summary>
internal sealed class KeywordIndex : FieldIndex
{
    private readonly ConcurrentDictionary<string, PostingList> _postings = new(StringComparer.Ordinal);

    /// <summary>Each key's ordinal (in order of first sight), the value <see cref="_column"/> holds per row.</summary>
    private readonly ConcurrentDictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private readonly PayloadColumn<int> _column = new();

    /// <summary>Creates an empty index on <paramref name="path"/>.</summary>
    public KeywordIndex(PayloadPath path, bool isComplete)
        : base(path, isComplete)
    {
    }

    /// <inheritdoc/>
    public override PayloadIndexKind Kind => PayloadIndexKind.Keyword;

    /// <inheritdoc/>
    public override long MemoryBytes
    {
        get
        {
            long bytes = 0;
            foreach (KeyValuePair<string, PostingList> entry in _postings)
            {
                // The key string (header, length, UTF-16 characters), the dictionary node, and the list.
                bytes += 24 + (2L * entry.Key.Length) + 48 + entry.Value.MemoryBytes;
            }
            return bytes + (_ordinals.Count * 16L) + _column.MemoryBytes;
        }
    }

    /// <summary>The rows (live or not) holding <paramref name="value"/>: 0 for a value never seen. Safe beside the writer.</summary>
    internal int RowCount(string value) => _postings.TryGetValue(value, out PostingList? list) ? list.Count : 0;

    /// <summary>Appends the rows (live or not) below <paramref name="rowLimit"/> holding <paramref name="value"/> to <paramref name="into"/>.</summary>
    internal void CopyRows(string value, int rowLimit, RowBuffer into)
    {
        if (_postings.TryGetValue(value, out PostingList? list))
        {
            list.CopyBelow(rowLimit, into);
        }
    }

    /// <summary>Each key and its rows (live or not, ascending), as the index holds them now. Safe beside the writer.</summary>
    internal IEnumerable<KeyValuePair<string, PostingList>> Postings => _postings;

    /// <inheritdoc/>
    public override bool TryCollect(FieldCondition condition, int rowLimit, RowBuffer into) =>
        TryCollectInto(condition, rowLimit, new BufferSink(into), out _);

    /// <inheritdoc/>
    public override bool TryMark(FieldCondition condition, int rowLimit, RowBitset into, out bool exact) =>
        TryCollectInto(condition, rowLimit, new BitsetSink(into), out exact);

    private bool TryCollectInto<TSink>(FieldCondition condition, int rowLimit, TSink into, out bool exact)
        where TSink : struct, IRowSink
    {
        exact = false;
        if (!IsEqualityLike(condition.Operator) || !AllOperandsAre(condition, FilterValueKind.String))
        {
            return false;
        }

        // $eq/$in are answered exactly; $contains marks every key holding the operand, a superset for arrays.
        exact = condition.Operator != FilterOperator.Contains;

        if (condition.Operator == FilterOperator.Contains)
        {
            // A string value matches when it contains the operand; an array matches when an element equals it, and
            // that element is indexed under a key which (being equal) contains it too. So every key containing
            // the operand, and only those, can hold a matching row.
            string needle = condition.Values[0].StringValue;
            foreach (KeyValuePair<string, PostingList> entry in _postings)
            {
                if (entry.Key.Contains(needle, StringComparison.Ordinal))
                {
                    entry.Value.CopyBelow(rowLimit, into);
                }
            }

            return true;
        }

        foreach (FilterValue value in condition.Values)
        {
            if (_postings.TryGetValue(value.StringValue, out PostingList? list))
            {
                list.CopyBelow(rowLimit, into);
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override ColumnFilter? TryCompile(FieldCondition condition)
    {
        if (condition.Operator is not (FilterOperator.Eq or FilterOperator.In) || !AllOperandsAre(condition, FilterValueKind.String))
        {
            return null;
        }

        var wanted = new List<int>(condition.Values.Length);
        foreach (FilterValue value in condition.Values)
        {
            if (_ordinals.TryGetValue(value.StringValue, out int ordinal))
            {
                wanted.Add(ordinal); // a key never seen matches no row written so far
            }
        }

        return new ColumnFilter.OrdinalIn(_column, [.. wanted]);
    }

    internal override void AddValue(int row, JsonElement value)
    {
        // Unreadable strings (unpaired surrogate escapes) match no condition, so leaving them out loses nothing.
        if (value.ValueKind == JsonValueKind.String && JsonValueComparer.TryGetString(value, out string? text))
        {
            _postings.GetOrAdd(text, static _ => new PostingList()).Add(row);
            if (!_ordinals.TryGetValue(text, out int ordinal))
            {
                ordinal = _ordinals.Count; // the writer is the only one adding keys
                _ordinals[text] = ordinal;
            }

            _column.Add(row, ordinal);
        }
    }
}
