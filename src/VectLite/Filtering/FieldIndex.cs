using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// The index of one payload field. Subclasses store the values of one JSON type; this base resolves the field
/// path with the same fan-out as filter evaluation, so a row that can match a condition is always indexed under
/// the value that makes it match.
/// </summary>
internal abstract class FieldIndex
{
    /// <summary>Creates the index; <paramref name="isComplete"/> is false when rows were added to the set before it was defined.</summary>
    protected FieldIndex(PayloadPath path, bool isComplete)
    {
        Path = path;
        IsComplete = isComplete;
    }

    /// <summary>The indexed field.</summary>
    public PayloadPath Path { get; }

    /// <summary>The kind of values this index stores.</summary>
    public abstract PayloadIndexKind Kind { get; }

    /// <summary>Bytes of managed memory the index holds (arrays allocated, keys; object headers estimated).</summary>
    public abstract long MemoryBytes { get; }

    /// <summary>
    /// False when the index was defined after rows had been added: it lacks those rows, so it cannot give a superset
    /// and is never consulted. The engine rebuilds the whole set to make it complete.
    /// </summary>
    public bool IsComplete { get; }

    /// <summary>Indexes every value the path resolves to in <paramref name="payload"/>, array elements included. Writer thread only.</summary>
    public void Add(int row, JsonElement payload)
    {
        var visitor = new IndexingVisitor(this, row);
        Path.Visit(payload, ref visitor);
    }

    /// <summary>
    /// Adds to <paramref name="into"/> every row below <paramref name="rowLimit"/> that may satisfy
    /// <paramref name="condition"/>, or returns false when this index cannot answer it (wrong operator or operand
    /// type). Safe on any thread while the writer adds.
    /// </summary>
    public abstract bool TryCollect(FieldCondition condition, int rowLimit, RowBuffer into);

    /// <summary>
    /// Adds to <paramref name="into"/> (a set over at least <paramref name="rowLimit"/> rows) every row below
    /// <paramref name="rowLimit"/> that may satisfy <paramref name="condition"/>, as <see cref="TryCollect"/> does, or
    /// returns false when this index cannot answer it. <paramref name="exact"/> says whether the rows marked are
    /// exactly the rows that satisfy the condition (so no row needs its payload evaluated): true for equality and
    /// ranges, false for <c>$contains</c> (a key that merely holds the operand, or a scalar that equals it, is
    /// marked too) and for integer operands beyond 2^53 (compared as doubles). Safe on any thread while the writer adds.
    /// </summary>
    public abstract bool TryMark(FieldCondition condition, int rowLimit, RowBitset into, out bool exact);

    /// <summary>
    /// Compiles <paramref name="condition"/> against this index's typed column, or returns null when the column cannot
    /// answer it exactly (the same conditions for which <see cref="TryMark"/> is not exact, or cannot answer at all).
    /// </summary>
    public abstract ColumnFilter? TryCompile(FieldCondition condition);

    /// <summary>Stores one scalar (or skips it when it is not this index's type).</summary>
    internal abstract void AddValue(int row, JsonElement value);

    /// <summary>True when every operand of <paramref name="condition"/> has kind <paramref name="kind"/>.</summary>
    protected static bool AllOperandsAre(FieldCondition condition, FilterValueKind kind)
    {
        foreach (FilterValue value in condition.Values)
        {
            if (value.Kind != kind)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True for the operators every kind can serve by equality: <c>$eq</c>, <c>$in</c>, <c>$contains</c>.</summary>
    protected static bool IsEqualityLike(FilterOperator op) =>
        op is FilterOperator.Eq or FilterOperator.In or FilterOperator.Contains;

    private readonly struct IndexingVisitor(FieldIndex index, int row) : IPayloadValueVisitor
    {
        public bool Visit(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement element in value.EnumerateArray())
                {
                    index.AddValue(row, element);
                }
            }
            else
            {
                index.AddValue(row, value);
            }

            return false; // index every resolved value, never stop early
        }
    }
}
