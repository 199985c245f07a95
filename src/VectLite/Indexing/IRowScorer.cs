namespace VectLite.Indexing;

/// <summary>
/// Scores a row against a query the scorer holds, higher is better: what a graph search walks on when the vectors it
/// compares are not the arena's float32 rows (quantized codes). Implemented by structs used as a generic argument, so
/// the call inlines into the search loop.
/// </summary>
internal interface IRowScorer
{
    /// <summary>Returns the score of <paramref name="row"/>, a row the graph holds (live, never -1).</summary>
    float Score(int row);

    /// <summary>Starts loading what <see cref="Score"/> will read for <paramref name="row"/> (a hint; may do nothing).</summary>
    void Prefetch(int row);
}
