namespace VectLite.Filtering;

/// <summary>
/// Where a payload index puts the rows it collects: a <see cref="RowBuffer"/> (a sorted row list for scans and counts)
/// or a <see cref="RowBitset"/> (a membership set for a query). Structs passed as generic arguments, so each index's
/// collection loop compiles once per sink with the add inlined.
/// </summary>
internal interface IRowSink
{
    /// <summary>Adds one row (a row may be added more than once).</summary>
    void Add(int row);
}

/// <summary>Collects rows into a <see cref="RowBuffer"/>.</summary>
internal readonly struct BufferSink(RowBuffer buffer) : IRowSink
{
    /// <inheritdoc/>
    public void Add(int row) => buffer.Add(row);
}

/// <summary>Collects rows into a <see cref="RowBitset"/>.</summary>
internal readonly struct BitsetSink(RowBitset set) : IRowSink
{
    /// <inheritdoc/>
    public void Add(int row) => set.Add(row);
}
