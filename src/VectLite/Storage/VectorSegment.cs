namespace VectLite.Storage;

/// <summary>
/// One vectors file of a named vector in a checkpoint: rows [<see cref="FirstRow"/>, <see cref="FirstRow"/> +
/// <see cref="Rows"/>) of the vector, in the file <see cref="File"/> lists (written by this generation or kept from an
/// earlier one). A vector's segments are contiguous from row 0, in row order.
/// </summary>
/// <remarks>
/// A checkpoint writes only the rows added since the previous one into a new file and keeps the earlier files, merging
/// the newest ones as they pile up (<see cref="PlanAppend"/>), so a growing collection does not rewrite every vector at
/// every checkpoint. A compaction that renumbers rows writes one file again.
/// </remarks>
/// <param name="File">The file's manifest entry: name, length and checksum.</param>
/// <param name="FirstRow">The row the file's first vector is.</param>
/// <param name="Rows">The vectors the file holds.</param>
internal sealed record VectorSegment(CheckpointFile File, int FirstRow, int Rows)
{
    /// <summary>The row after the file's last.</summary>
    public int EndRow => FirstRow + Rows;

    /// <summary>
    /// Returns how many of <paramref name="prior"/>'s segments (which cover rows [0, P), P &lt;= <paramref name="rows"/>)
    /// a checkpoint of <paramref name="rows"/> rows keeps; it writes rows from the end of the kept ones on into one new file.
    /// </summary>
    /// <remarks>
    /// The newest kept segment is merged into the new file while it holds no more rows than the new file would: the rule
    /// of a binary counter, so the segments roughly halve in size from the first to the last, a vector has about
    /// log2(rows / rows per checkpoint) files, and each row is rewritten about that many times over the collection's
    /// growth (instead of once per checkpoint). Segments that do not tile [0, P) from row 0 are all rewritten.
    /// </remarks>
    public static int PlanAppend(IReadOnlyList<VectorSegment> prior, int rows)
    {
        int end = 0;
        foreach (VectorSegment segment in prior)
        {
            if (segment.FirstRow != end || segment.Rows < 0)
            {
                return 0;
            }
            end = segment.EndRow;
        }
        if (end > rows)
        {
            return 0;
        }
        int keep = prior.Count;
        int start = end;
        while (keep > 0 && prior[keep - 1].Rows <= rows - start)
        {
            keep--;
            start = prior[keep].FirstRow;
        }
        return keep;
    }
}
