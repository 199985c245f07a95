namespace VectLite.Bench;

/// <summary>
/// One side's queries/s at a given recall, read off its measured recall/ef sweep by linear interpolation in recall
/// between the two ef points that bracket it.
/// </summary>
/// <param name="Recall">The recall asked for.</param>
/// <param name="QueriesPerSecond">The interpolated queries/s, or null when no measured ef reached the recall.</param>
/// <param name="IsLowerBound">True when even the smallest ef measured exceeded the recall, so its queries/s is a
/// lower bound (a smaller ef would reach the recall faster).</param>
internal sealed record QpsAtRecall(double Recall, double? QueriesPerSecond, bool IsLowerBound)
{
    /// <summary>True when the sweep reached <see cref="Recall"/>.</summary>
    public bool Reached => QueriesPerSecond is not null;

    /// <summary>Reads the queries/s at <paramref name="recall"/> from <paramref name="points"/> (any order; sorted by ef here).</summary>
    /// <remarks>
    /// Walking the points by increasing ef, the first one whose recall is at least <paramref name="recall"/> and the
    /// one before it bracket the target; queries/s is interpolated linearly in recall between them. Recall need not
    /// be monotonic in ef (noise at the top): the first crossing counts.
    /// </remarks>
    public static QpsAtRecall From(IReadOnlyList<HnswSearchPoint> points, double recall)
    {
        HnswSearchPoint[] sweep = [.. points.OrderBy(p => p.Ef)];
        int first = Array.FindIndex(sweep, p => p.Recall >= recall);
        if (first < 0)
        {
            return new QpsAtRecall(recall, null, IsLowerBound: false);
        }
        HnswSearchPoint high = sweep[first];
        if (first == 0)
        {
            return new QpsAtRecall(recall, high.QueriesPerSecond, IsLowerBound: high.Recall > recall);
        }
        HnswSearchPoint low = sweep[first - 1];
        double t = (recall - low.Recall) / (high.Recall - low.Recall);
        return new QpsAtRecall(recall, low.QueriesPerSecond + (t * (high.QueriesPerSecond - low.QueriesPerSecond)), IsLowerBound: false);
    }

    /// <summary>"5,432.1", "&gt;= 5,432.1" for a lower bound, or "not reached".</summary>
    public override string ToString() => QueriesPerSecond switch
    {
        null => "not reached",
        double qps when IsLowerBound => ">= " + Format.Number(qps),
        double qps => Format.Number(qps),
    };
}
