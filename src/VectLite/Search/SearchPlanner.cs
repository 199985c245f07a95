using VectLite.Records;

namespace VectLite.Search;

/// <summary>
/// Chooses between an exact scan and a filtered HNSW search, and the candidate list size for the latter.
/// </summary>
/// <remarks>
/// How it decides:
/// <list type="number">
/// <item>Estimate how many rows pass the filter and namespace: the payload indexes' candidate count when they can
/// answer the filter (an upper bound), else the pass rate of a fixed sample of rows times the row count.</item>
/// <item>Few passing rows (under <see cref="ExactScanRows"/>, or under <see cref="ExactScanPassRate"/> of the rows):
/// scan them exactly. It is exact, and cheaper than a graph walk that must step over nearly every node to collect k
/// matches, which is where filtered HNSW loses recall.</item>
/// <item>Otherwise search the graph with the filter, widening ef by the inverse pass rate (capped) so the walk
/// still meets about ef matching nodes.</item>
/// </list>
/// </remarks>
internal static class SearchPlanner
{
    /// <summary>A filter leaving at most this many rows is scanned exactly.</summary>
    public const int ExactScanRows = 4_096;

    /// <summary>A filter passing less than this share of the rows is scanned exactly.</summary>
    public const double ExactScanPassRate = 0.02;

    /// <summary>Rows sampled to estimate an unindexed filter's pass rate.</summary>
    public const int SampleSize = 512;

    /// <summary>The most ef is widened for a selective filter.</summary>
    public const int MaxEfWidening = 16;

    /// <summary>True to search the graph; false to scan. <paramref name="passRate"/> is the estimated share of rows that pass.</summary>
    public static bool PreferGraph(CollectionState state, Snapshot snapshot, ref VisibleRowFilter filter, int[]? candidates, int wanted, out double passRate)
    {
        passRate = 1;
        int rows = snapshot.RowCount;
        if (rows == 0)
        {
            return false;
        }
        if (candidates is not null)
        {
            passRate = (double)candidates.Length / rows;
            return candidates.Length > ExactScanRows && passRate >= ExactScanPassRate && candidates.Length > wanted;
        }
        if (!filter.HasConditions)
        {
            return true; // only deletions and expiry to skip: the graph walks past those
        }

        // Sample evenly spaced rows (not the first n: ids and payloads often correlate with insertion order).
        int sample = Math.Min(SampleSize, rows);
        int passed = 0;
        double step = (double)rows / sample;
        for (int i = 0; i < sample; i++)
        {
            if (filter.Accept((int)(i * step)))
            {
                passed++;
            }
        }
        passRate = Math.Max(passed, 0.5) / sample; // never 0: an unlucky sample must not claim "nothing passes"
        double estimate = passRate * rows;
        return estimate > ExactScanRows && passRate >= ExactScanPassRate && estimate > wanted;
    }

    /// <summary>The candidate list size: the requested or configured ef (0: automatic), at least <paramref name="wanted"/>, widened for selective filters.</summary>
    public static int ChooseEf(int requested, int wanted, double passRate)
    {
        int ef = requested > 0 ? requested : Math.Max(40, 2 * wanted);
        ef = Math.Max(ef, wanted);
        if (passRate < 1)
        {
            double widening = Math.Min(MaxEfWidening, 1 / Math.Max(passRate, 1.0 / MaxEfWidening));
            ef = (int)Math.Min(10_000, ef * widening);
        }
        return ef;
    }
}
