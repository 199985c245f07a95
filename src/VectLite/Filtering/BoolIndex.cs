using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>Indexes the booleans of one field: one <see cref="PostingList"/> for <c>true</c>, one for <c>false</c>.</summary>
internal sealed class BoolIndex : FieldIndex
{
    private readonly PostingList _true = new();
    private readonly PostingList _false = new();

    /// <summary>Creates an empty index on <paramref name="path"/>.</summary>
    public BoolIndex(PayloadPath path, bool isComplete)
        : base(path, isComplete)
    {
    }

    /// <inheritdoc/>
    public override PayloadIndexKind Kind => PayloadIndexKind.Bool;

    /// <inheritdoc/>
    public override long MemoryBytes => _true.MemoryBytes + _false.MemoryBytes;

    /// <inheritdoc/>
    public override bool TryCollect(FieldCondition condition, int rowLimit, RowBuffer into)
    {
        if (!IsEqualityLike(condition.Operator) || !AllOperandsAre(condition, FilterValueKind.Boolean))
        {
            return false;
        }

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

    internal override void AddValue(int row, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                _true.Add(row);
                break;
            case JsonValueKind.False:
                _false.Add(row);
                break;
        }
    }
}
