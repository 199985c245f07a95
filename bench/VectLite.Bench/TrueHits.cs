namespace VectLite.Bench;

/// <summary>Recall counting shared by the commands that check VectLite's hits against a ground-truth file.</summary>
internal static class TrueHits
{
    /// <summary>How many of <paramref name="found"/> are among <paramref name="expected"/> (the true nearest ids).</summary>
    public static int Count(IReadOnlyList<SearchHit> found, ReadOnlySpan<int> expected)
    {
        int hits = 0;
        foreach (SearchHit hit in found)
        {
            if (expected.Contains((int)hit.Id.AsNumber))
            {
                hits++;
            }
        }
        return hits;
    }
}
