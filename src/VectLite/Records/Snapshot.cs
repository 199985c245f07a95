namespace VectLite.Records;

/// <summary>
/// What a reader may see: rows below <see cref="RowCount"/>, minus those deleted at or before <see cref="Lsn"/>.
/// Published by the writer as one immutable object after each batch; a read takes it once and works on it.
/// </summary>
internal sealed class Snapshot(long lsn, int rowCount, bool anyExpiring, bool anyDeleted = true)
{
    /// <summary>The LSN of the last batch applied.</summary>
    public long Lsn { get; } = lsn;

    /// <summary>Rows [0, RowCount) exist for this snapshot.</summary>
    public int RowCount { get; } = rowCount;

    /// <summary>False when no visible row has an expiry, so reads skip the clock check.</summary>
    public bool AnyExpiring { get; } = anyExpiring;

    /// <summary>False when no row below <see cref="RowCount"/> was deleted at or before <see cref="Lsn"/>: every row is
    /// visible (expiry aside), so a full scan needs no per-row test.</summary>
    public bool AnyDeleted { get; } = anyDeleted;

    /// <summary>
    /// Every row below this that is visible in this snapshot is in the HNSW graphs (when they exist); the rows from here
    /// to <see cref="RowCount"/> may not be, and a graph search scans them exactly (deferred indexing). Equal to
    /// <see cref="RowCount"/> when nothing waits for the indexer. Never above <see cref="RowCount"/>.
    /// </summary>
    public int IndexedRows { get; init; } = rowCount;

    /// <summary>This snapshot with <see cref="IndexedRows"/> raised to <paramref name="indexedRows"/> (capped at the row count).</summary>
    public Snapshot WithIndexedRows(int indexedRows) =>
        new(Lsn, RowCount, AnyExpiring, AnyDeleted) { IndexedRows = Math.Min(indexedRows, RowCount) };
}
