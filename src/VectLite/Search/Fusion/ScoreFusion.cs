namespace VectLite.Search.Fusion;

/// <summary>
/// Fuses ranked lists of hits (best first) into one list, best first, by <see cref="FusionMethod"/>. A record is the
/// same across lists when its namespace and id are; it keeps the first hit object seen for it.
/// </summary>
internal static class ScoreFusion
{
    /// <summary>Fuses <paramref name="lists"/> with <paramref name="weights"/> (one per list). Ties keep first-seen order.</summary>
    public static List<FusedHit> Fuse(IReadOnlyList<IReadOnlyList<SearchHit>> lists, IReadOnlyList<float> weights, FusionMethod method)
    {
        var scores = new Dictionary<(string Ns, RecordId Id), (SearchHit Hit, double Score, int Order)>();
        for (int l = 0; l < lists.Count; l++)
        {
            IReadOnlyList<SearchHit> list = lists[l];
            (double shift, double scale) = Normalisation(list, method.Kind);
            for (int rank = 0; rank < list.Count; rank++)
            {
                SearchHit hit = list[rank];
                double contribution = weights[l] * (method.Kind switch
                {
                    FusionKind.ReciprocalRank => 1.0 / (method.K + rank + 1),
                    _ => Math.Clamp((hit.Score - shift) * scale, 0.0, 1.0),
                });
                var key = (hit.Namespace, hit.Id);
                scores[key] = scores.TryGetValue(key, out var seen)
                    ? (seen.Hit, seen.Score + contribution, seen.Order)
                    : (hit, contribution, scores.Count);
            }
        }
        var fused = new List<(FusedHit Hit, int Order)>(scores.Count);
        foreach (var entry in scores.Values)
        {
            fused.Add((new FusedHit(entry.Hit, entry.Score), entry.Order));
        }
        fused.Sort((a, b) => b.Hit.Score != a.Hit.Score ? b.Hit.Score.CompareTo(a.Hit.Score) : a.Order.CompareTo(b.Order));
        return fused.ConvertAll(f => f.Hit);
    }

    /// <summary>
    /// (shift, scale) so that (score - shift) * scale maps the list onto [0, 1]: min-max for linear, mean -/+ 3 standard
    /// deviations for distribution-based. A list whose scores are all equal maps them to 1 (scale 0 would erase them).
    /// </summary>
    private static (double Shift, double Scale) Normalisation(IReadOnlyList<SearchHit> list, FusionKind kind)
    {
        if (kind == FusionKind.ReciprocalRank || list.Count == 0)
        {
            return (0, 1);
        }
        double low, high;
        if (kind == FusionKind.Linear)
        {
            low = double.MaxValue;
            high = double.MinValue;
            foreach (SearchHit hit in list)
            {
                low = Math.Min(low, hit.Score);
                high = Math.Max(high, hit.Score);
            }
        }
        else
        {
            double mean = 0;
            foreach (SearchHit hit in list)
            {
                mean += hit.Score;
            }
            mean /= list.Count;
            double variance = 0;
            foreach (SearchHit hit in list)
            {
                variance += (hit.Score - mean) * (hit.Score - mean);
            }
            double sd = Math.Sqrt(variance / list.Count);
            low = mean - (3 * sd);
            high = mean + (3 * sd);
        }
        return high > low ? (low, 1.0 / (high - low)) : (low - 1, 1); // all equal: each maps to 1
    }
}
