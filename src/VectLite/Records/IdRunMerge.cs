namespace VectLite.Records;

/// <summary>
/// Walks the sorted runs of one namespace of an <see cref="OrderedKeyIndex"/> as one sequence in id order, starting
/// after a cursor's id: each run is sought by binary search, then the smallest head is taken at each step.
/// </summary>
/// <remarks>
/// A namespace holds O(log n) runs, and one when nothing was written while it was scrolled, so a linear pick of the
/// smallest head costs less than a heap would.
/// </remarks>
internal struct IdRunMerge
{
    private readonly RecordId[][] _runs;
    private readonly int[] _positions;

    /// <param name="runs">The sorted runs.</param>
    /// <param name="after">Start after this id (null: at the beginning).</param>
    /// <param name="inclusive">Start at <paramref name="after"/> itself if a run holds it (<see cref="ScrollOptions.StartAt"/>).</param>
    public IdRunMerge(RecordId[][] runs, RecordId? after, bool inclusive = false)
    {
        _runs = runs;
        _positions = new int[runs.Length];
        for (int i = 0; i < runs.Length; i++)
        {
            _positions[i] = IdRun.Seek(runs[i], after, inclusive);
        }
    }

    /// <summary>The next id in order, or false when every run is exhausted.</summary>
    public readonly bool TryNext(out RecordId id)
    {
        int best = -1;
        for (int i = 0; i < _runs.Length; i++)
        {
            if (_positions[i] < _runs[i].Length && (best < 0 || _runs[i][_positions[i]].CompareTo(_runs[best][_positions[best]]) < 0))
            {
                best = i;
            }
        }
        if (best < 0)
        {
            id = default;
            return false;
        }
        id = _runs[best][_positions[best]++];
        return true;
    }
}
