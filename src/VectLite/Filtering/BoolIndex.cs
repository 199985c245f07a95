using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>Indexes the booleans of one field: one <see cref="PostingList"/> for <c>true</c>, one for <c>false</c>.</summary>
internal sealed class BoolIndex : FieldIndex
{
    private readonly PostingList _true = new();
    private readonly PostingList _false = new();
    private readonly PayloadColumn<int> _column = new();

    /// <summary>Creates an empty index on <paramref name="path"/>.</summary>
    public BoolIndex(PayloadPath path, bool isComplete)
        : base(path, isComplete)
    {
    }

    /// <inheritdoc/>
    public override PayloadIndexKind Kind => PayloadIndexKind.Bool;

    /// <inheritdoc/>
    public override long MemoryBytes => _true.MemoryBytes + _false.MemoryBytes + _column.MemoryBytes;

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
        if (!IsEqualityLike(condition.Operator) || !AllOperandsAre(condition, FilterValueKind.Boolean))
        {
            return false;
        }

        // $contains holds only for arrays holding the boolean; the index lists scalars too.
        exact = condition.Operator != FilterOperator.Contains;

        bool wantTrue = false;
        bool wantFalse = false;
        foreach (FilterValue value in condition.Values)
        {
            wantTrue |= value.BooleanValue;
            wantFalse |= !value.BooleanValue;
        }

        if (wantTrue)
        {
            _true.CopyBelow(rowLimit, into);
        }

        if (wantFalse)
        {
            _false.CopyBelow(rowLimit, into);
        }

        return true;
    }

    /// <inheritdoc/>
    public override ColumnFilter? TryCompile(FieldCondition condition)
    {
        if (condition.Operator is not (FilterOperator.Eq or FilterOperator.In) || !AllOperandsAre(condition, FilterValueKind.Boolean))
        {
            return null;
        }

        var wanted = new List<int>(2);
        foreach (FilterValue value in condition.Values)
        {
            wanted.Add(value.BooleanValue ? 1 : 0);
        }

        return new ColumnFilter.OrdinalIn(_column, [.. wanted]);
    }

    internal override void AddValue(int row, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                _true.Add(row);
                _column.Add(row, 1);
                break;
            case JsonValueKind.False:
                _false.Add(row);
                _column.Add(row, 0);
                break;
        }
    }
}
