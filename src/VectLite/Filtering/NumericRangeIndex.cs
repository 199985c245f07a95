using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// Indexes the numbers of one field for equality and range conditions.
/// </summary>
/// <remarks>
/// <para>How it works (one writer, many readers, no locks):</para>
/// <list type="bullet">
/// <item>The index is one <see cref="State"/> object: an immutable array of (value, row) pairs sorted by value,
/// plus an append-only tail of pairs in arrival order with a fixed capacity.</item>
/// <item>The writer appends to the tail and publishes the tail count with <see cref="Volatile.Write(ref int, int)"/>.</item>
/// <item>When the tail is full the writer sorts it, merges it with the sorted array into new arrays and publishes
/// a new <see cref="State"/> with an empty tail in one reference write. Readers that hold the old state keep
/// using it: its sorted array and tail are never written again.</item>
/// <item>A reader reads the state reference once, then the tail count, then searches the sorted array by binary
/// search and scans the tail linearly.</item>
/// <item>The tail capacity grows with the sorted array (an eighth of it, at least 1024), so the total merge work
/// stays proportional to n log n while a query's linear tail scan stays a small fraction of the index.</item>
/// </list>
/// <para>Values are stored as doubles. Conditions compare integers exactly, which doubles cannot do above 2^53,
/// so for such operands the bounds are widened to inclusive: the answer stays a superset.</para>
/// </remarks>
internal sealed class NumericRangeIndex : FieldIndex
{
    private const int MinTailCapacity = 1024;

    private State _state = new([], [], MinTailCapacity);
    private readonly PayloadColumn<double> _column = new();

    /// <summary>Creates an empty index on <paramref name="path"/>.</summary>
    public NumericRangeIndex(PayloadPath path, bool isComplete)
        : base(path, isComplete)
    {
    }

    /// <inheritdoc/>
    public override PayloadIndexKind Kind => PayloadIndexKind.Numeric;

    /// <inheritdoc/>
    public override long MemoryBytes
    {
        get
        {
            State state = Volatile.Read(ref _state);
            return (((long)state.SortedValues.Length + state.TailValues.Length) * sizeof(double))
                + (((long)state.SortedRows.Length + state.TailRows.Length) * sizeof(int)) + (4 * 24) + _column.MemoryBytes;
        }
    }

    /// <summary>The number of (value, row) pairs in the sorted part; for tests of the merge.</summary>
    internal int SortedCount => Volatile.Read(ref _state).SortedValues.Length;

    /// <inheritdoc/>
    public override bool TryCollect(FieldCondition condition, int rowLimit, RowBuffer into) =>
        TryCollectInto(condition, rowLimit, new BufferSink(into), out _);

    /// <inheritdoc/>
    public override bool TryMark(FieldCondition condition, int rowLimit, RowBitset into, out bool exact) =>
        TryCollectInto(condition, rowLimit, new BitsetSink(into), out exact);

    private bool TryCollectInto<TSink>(FieldCondition condition, int rowLimit, TSink into, out bool exact)
        where TSink : struct, IRowSink
    {
        FilterOperator op = condition.Operator;
        exact = false;
        if (!(IsEqualityLike(op) || op.IsRange()) || !AllOperandsAre(condition, FilterValueKind.Number))
        {
            return false;
        }

        // $contains holds only for arrays, but the index also lists scalars equal to the operand; operands beyond
        // 2^53 widen the bounds. Everything else is answered exactly (see JsonValueComparer: a double compare of the
        // stored value agrees with the evaluator's exact compare whenever the operand is exact as a double).
        exact = op != FilterOperator.Contains;
        foreach (FilterValue value in condition.Values)
        {
            exact &= value.IsExactAsDouble;
        }

        State state = Volatile.Read(ref _state);
        int tailCount = Volatile.Read(ref state.TailCount);
        foreach (FilterValue value in condition.Values)
        {
            double v = value.NumberValue;
            bool strict = value.IsExactAsDouble;
            switch (op)
            {
                case FilterOperator.Gt:
                    state.Collect(v, !strict, double.PositiveInfinity, true, tailCount, rowLimit, into);
                    break;
                case FilterOperator.Gte:
                    state.Collect(v, true, double.PositiveInfinity, true, tailCount, rowLimit, into);
                    break;
                case FilterOperator.Lt:
                    state.Collect(double.NegativeInfinity, true, v, !strict, tailCount, rowLimit, into);
                    break;
                case FilterOperator.Lte:
                    state.Collect(double.NegativeInfinity, true, v, true, tailCount, rowLimit, into);
                    break;
                default:
                    state.Collect(v, true, v, true, tailCount, rowLimit, into);
                    break;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override ColumnFilter? TryCompile(FieldCondition condition)
    {
        FilterOperator op = condition.Operator;
        if (!(op is FilterOperator.Eq or FilterOperator.In || op.IsRange()) || !AllOperandsAre(condition, FilterValueKind.Number))
        {
            return null;
        }

        var intervals = new (double, bool, double, bool)[condition.Values.Length];
        for (int i = 0; i < intervals.Length; i++)
        {
            FilterValue value = condition.Values[i];
            if (!value.IsExactAsDouble)
            {
                return null; // compared exactly as integers by the evaluator: leave it to the payload
            }

            double v = value.NumberValue;
            intervals[i] = op switch
            {
                FilterOperator.Gt => (v, false, double.PositiveInfinity, true),
                FilterOperator.Gte => (v, true, double.PositiveInfinity, true),
                FilterOperator.Lt => (double.NegativeInfinity, true, v, false),
                FilterOperator.Lte => (double.NegativeInfinity, true, v, true),
                _ => (v, true, v, true),
            };
        }

        return new ColumnFilter.NumberIn(_column, intervals);
    }

    internal override void AddValue(int row, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number))
        {
            return;
        }

        _column.Add(row, number);

        State state = _state; // the writer owns the field: a plain read sees its own last write
        int count = state.TailCount;
        if (count == state.TailValues.Length)
        {
            state = state.Merge(MinTailCapacity);
            Volatile.Write(ref _state, state);
            count = 0;
        }

        state.TailValues[count] = number;
        state.TailRows[count] = row;
        Volatile.Write(ref state.TailCount, count + 1);
    }

    /// <summary>One published version of the index: a frozen sorted part and the tail being filled.</summary>
    private sealed class State
    {
        public readonly double[] SortedValues;
        public readonly int[] SortedRows;
        public readonly double[] TailValues;
        public readonly int[] TailRows;

        /// <summary>Entries of the tail that are written; published by the writer with a volatile write.</summary>
        public int TailCount;

        public State(double[] sortedValues, int[] sortedRows, int tailCapacity)
        {
            SortedValues = sortedValues;
            SortedRows = sortedRows;
            TailValues = new double[tailCapacity];
            TailRows = new int[tailCapacity];
        }

        /// <summary>Sorts the (full) tail into the sorted part; returns the successor state with an empty tail.</summary>
        public State Merge(int minTailCapacity)
        {
            int tailCount = TailCount;
            double[] tailValues = TailValues.AsSpan(0, tailCount).ToArray();
            int[] tailRows = TailRows.AsSpan(0, tailCount).ToArray();
            Array.Sort(tailValues, tailRows);

            int total = SortedValues.Length + tailCount;
            var values = new double[total];
            var rows = new int[total];
            int i = 0;
            int j = 0;
            for (int k = 0; k < total; k++)
            {
                if (j == tailCount || (i < SortedValues.Length && SortedValues[i] <= tailValues[j]))
                {
                    values[k] = SortedValues[i];
                    rows[k] = SortedRows[i++];
                }
                else
                {
                    values[k] = tailValues[j];
                    rows[k] = tailRows[j++];
                }
            }

            return new State(values, rows, Math.Max(minTailCapacity, total / 8));
        }

        /// <summary>Adds rows below <paramref name="rowLimit"/> whose value lies between the bounds.</summary>
        public void Collect<TSink>(double low, bool lowInclusive, double high, bool highInclusive, int tailCount, int rowLimit, TSink into)
            where TSink : struct, IRowSink
        {
            double[] values = SortedValues;
            int start = LowerBound(values, low, lowInclusive);
            for (int i = start; i < values.Length; i++)
            {
                double v = values[i];
                if (highInclusive ? v > high : v >= high)
                {
                    break;
                }

                int row = SortedRows[i];
                if (row < rowLimit)
                {
                    into.Add(row);
                }
            }

            for (int i = 0; i < tailCount; i++)
            {
                double v = TailValues[i];
                int row = TailRows[i];
                if (row < rowLimit
                    && (lowInclusive ? v >= low : v > low)
                    && (highInclusive ? v <= high : v < high))
                {
                    into.Add(row);
                }
            }
        }

        /// <summary>The first index whose value is above <paramref name="low"/> (or equal to it, when inclusive).</summary>
        private static int LowerBound(double[] values, double low, bool inclusive)
        {
            int lo = 0;
            int hi = values.Length;
            while (lo < hi)
            {
                int mid = (int)((uint)(lo + hi) >> 1);
                bool below = inclusive ? values[mid] < low : values[mid] <= low;
                if (below)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }
    }
}
