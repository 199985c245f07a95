namespace VectLite.Filtering;

/// <summary>The answer of a <see cref="ColumnFilter"/> for one row.</summary>
internal enum ColumnVerdict : byte
{
    /// <summary>The row does not match.</summary>
    No,

    /// <summary>The row matches.</summary>
    Yes,

    /// <summary>The columns cannot tell (the row holds several values of a field): evaluate the payload.</summary>
    Unknown,
}

/// <summary>
/// A filter compiled against the payload indexes' typed columns (<see cref="PayloadColumn{T}"/>): tests a row in a few
/// array reads, no JSON. Built by <see cref="PayloadIndexSet.TryCompile"/> when every condition of the filter is one the
/// indexes answer exactly (equality and ranges; see <see cref="FieldIndex.TryMark"/>), combined with AND and OR.
/// </summary>
/// <remarks>Immutable; safe on any thread for rows below the row limit the engine has published.</remarks>
internal abstract class ColumnFilter
{
    /// <summary>Tests <paramref name="row"/>.</summary>
    public abstract ColumnVerdict Test(int row);

    /// <summary>The AND of several: No if any says No, else Unknown if any says Unknown, else Yes.</summary>
    internal sealed class All(ColumnFilter[] children) : ColumnFilter
    {
        public override ColumnVerdict Test(int row)
        {
            ColumnVerdict verdict = ColumnVerdict.Yes;
            foreach (ColumnFilter child in children)
            {
                ColumnVerdict v = child.Test(row);
                if (v == ColumnVerdict.No)
                {
                    return ColumnVerdict.No;
                }
                if (v == ColumnVerdict.Unknown)
                {
                    verdict = ColumnVerdict.Unknown;
                }
            }
            return verdict;
        }
    }

    /// <summary>The OR of several: Yes if any says Yes, else Unknown if any says Unknown, else No.</summary>
    internal sealed class Any(ColumnFilter[] children) : ColumnFilter
    {
        public override ColumnVerdict Test(int row)
        {
            ColumnVerdict verdict = ColumnVerdict.No;
            foreach (ColumnFilter child in children)
            {
                ColumnVerdict v = child.Test(row);
                if (v == ColumnVerdict.Yes)
                {
                    return ColumnVerdict.Yes;
                }
                if (v == ColumnVerdict.Unknown)
                {
                    verdict = ColumnVerdict.Unknown;
                }
            }
            return verdict;
        }
    }

    /// <summary>A numeric condition: the row's one number lies in one of the intervals.</summary>
    internal sealed class NumberIn(PayloadColumn<double> column, (double Low, bool LowInclusive, double High, bool HighInclusive)[] intervals) : ColumnFilter
    {
        public override ColumnVerdict Test(int row)
        {
            switch (column.Get(row, out double v))
            {
                case ColumnState.None:
                    return ColumnVerdict.No;
                case ColumnState.Several:
                    return ColumnVerdict.Unknown;
            }
            foreach ((double low, bool lowInclusive, double high, bool highInclusive) in intervals)
            {
                if ((lowInclusive ? v >= low : v > low) && (highInclusive ? v <= high : v < high))
                {
                    return ColumnVerdict.Yes;
                }
            }
            return ColumnVerdict.No;
        }
    }

    /// <summary>An equality condition on ordinals (keyword keys, booleans): the row's one ordinal is one of the wanted.</summary>
    internal sealed class OrdinalIn(PayloadColumn<int> column, int[] wanted) : ColumnFilter
    {
        public override ColumnVerdict Test(int row)
        {
            switch (column.Get(row, out int v))
            {
                case ColumnState.None:
                    return ColumnVerdict.No;
                case ColumnState.Several:
                    return ColumnVerdict.Unknown;
            }
            return Array.IndexOf(wanted, v) >= 0 ? ColumnVerdict.Yes : ColumnVerdict.No;
        }
    }
}
