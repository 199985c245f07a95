using VectLite.Search.Fusion;

namespace VectLite.Tests.Search;

/// <summary>
/// <see cref="ScoreFusion"/> on hand-made ranked lists, without a database: the cases the end-to-end
/// <see cref="HybridQueryTests"/> cannot reach with four records (a list of one hit, a list whose scores are all equal,
/// a distribution-based list with an outlier beyond three deviations, ties between records, the same id in two
/// namespaces), and seeded random lists against a reference fusion written here from the formulas in docs/search.md.
/// </summary>
public sealed class ScoreFusionTests
{
    private static SearchHit Hit(ulong id, float score, string ns = "") => new(id, ns, score, null, null, null, null);

    private static List<FusedHit> Fuse(FusionMethod method, params (IReadOnlyList<SearchHit> List, float Weight)[] lists) =>
        ScoreFusion.Fuse([.. lists.Select(l => l.List)], [.. lists.Select(l => l.Weight)], method);

    [Theory]
    [InlineData(FusionKind.Linear)]
    [InlineData(FusionKind.DistributionBased)]
    public void A_list_of_one_hit_or_of_equal_scores_maps_each_to_one_times_its_weight(FusionKind kind)
    {
        FusionMethod method = kind == FusionKind.Linear ? FusionMethod.Linear() : FusionMethod.DistributionBased();

        // min = max (linear) and a deviation of 0 (distribution-based): nothing to spread, so each hit counts fully.
        List<FusedHit> one = Fuse(method, ([Hit(7, -3.5f)], 2f));
        Assert.Equal(7UL, Assert.Single(one).Hit.Id.AsNumber);
        Assert.Equal(2.0, one[0].Score);

        List<FusedHit> equal = Fuse(method, ([Hit(1, 0.25f), Hit(2, 0.25f), Hit(3, 0.25f)], 1f), ([Hit(3, 9f)], 0.5f));
        Assert.Equal([3UL, 1, 2], equal.Select(f => f.Hit.Id.AsNumber));
        Assert.Equal([1.5, 1.0, 1.0], equal.Select(f => f.Score));
    }

    [Fact]
    public void Distribution_based_scores_beyond_three_deviations_are_clamped_to_zero_and_one()
    {
        // Eleven scores, one of them 1 and ten 0: mean 1/11, population deviation sqrt(10)/11, so mean + 3 deviations is
        // (1 + 3 sqrt 10) / 11 = 0.953 < 1: the outlier maps to (10 + 3 sqrt 10) / (6 sqrt 10) = 1.027, clamped to 1. Each
        // 0 maps to (3 sqrt 10 - 1) / (6 sqrt 10) = 0.5 - 1 / (6 sqrt 10).
        var high = new List<SearchHit> { Hit(100, 1f) };
        for (ulong id = 1; id <= 10; id++)
        {
            high.Add(Hit(id, 0f));
        }
        List<FusedHit> top = Fuse(FusionMethod.DistributionBased(), (high, 1f));
        Assert.Equal(100UL, top[0].Hit.Id.AsNumber);
        Assert.Equal(1.0, top[0].Score);
        double zero = 0.5 - (1 / (6 * Math.Sqrt(10)));
        Assert.All(top.Skip(1), f => Assert.Equal(zero, f.Score, 12));

        // The mirror image: ten 0 and one -1; the -1 maps to -0.027, clamped to 0, the zeros to 0.5 + 1 / (6 sqrt 10).
        var low = new List<SearchHit>();
        for (ulong id = 1; id <= 10; id++)
        {
            low.Add(Hit(id, 0f));
        }
        low.Add(Hit(100, -1f));
        List<FusedHit> bottom = Fuse(FusionMethod.DistributionBased(), (low, 1f));
        Assert.Equal(100UL, bottom[^1].Hit.Id.AsNumber);
        Assert.Equal(0.0, bottom[^1].Score);
        Assert.All(bottom.Take(10), f => Assert.Equal(0.5 + (1 / (6 * Math.Sqrt(10))), f.Score, 12));
    }

    [Fact]
    public void Equal_fused_scores_keep_the_order_records_were_first_seen_in()
    {
        // Reciprocal rank, k 60: each record is at rank 0 of one list, 1/61 each.
        List<FusedHit> ab = Fuse(FusionMethod.ReciprocalRank(60), ([Hit(5, 1f)], 1f), ([Hit(2, 1f)], 1f), ([Hit(9, 1f)], 1f));
        Assert.Equal([5UL, 2, 9], ab.Select(f => f.Hit.Id.AsNumber));
        List<FusedHit> ba = Fuse(FusionMethod.ReciprocalRank(60), ([Hit(9, 1f)], 1f), ([Hit(2, 1f)], 1f), ([Hit(5, 1f)], 1f));
        Assert.Equal([9UL, 2, 5], ba.Select(f => f.Hit.Id.AsNumber));
        Assert.All(ba, f => Assert.Equal(1.0 / 61, f.Score, 12));

        // Forty records at 1/61 each: more than List.Sort's insertion-sort cutoff (16), so only the first-seen order
        // written into the comparison keeps them in order (introsort is not stable).
        (IReadOnlyList<SearchHit>, float)[] forty = [.. Enumerable.Range(0, 40).Select(i => ((IReadOnlyList<SearchHit>)[Hit((ulong)(1000 - (i * 7 % 40)), 1f)], 1f))];
        List<FusedHit> many = Fuse(FusionMethod.ReciprocalRank(60), forty);
        Assert.Equal(forty.Select(l => l.Item1[0].Id.AsNumber), many.Select(f => f.Hit.Id.AsNumber));

        // Linear: 1 (first list, scores 3 and 1 -> 1, 0) and 2 (second list, alone -> 1) tie at 1 after a lower one.
        List<FusedHit> linear = Fuse(FusionMethod.Linear(), ([Hit(1, 3f), Hit(3, 1f)], 1f), ([Hit(2, 0.5f)], 1f));
        Assert.Equal([1UL, 2, 3], linear.Select(f => f.Hit.Id.AsNumber));
    }

    [Fact]
    public void A_record_is_its_namespace_and_id_and_keeps_the_first_hit_seen()
    {
        SearchHit first = Hit(1, 0.9f, "t1");
        SearchHit again = Hit(1, 0.8f, "t1");
        SearchHit otherTenant = Hit(1, 0.7f, "t2");
        List<FusedHit> fused = Fuse(FusionMethod.ReciprocalRank(0), ([first, otherTenant], 1f), ([again], 1f));

        // k 0: t1/1 is rank 0 twice (1 + 1), t2/1 rank 1 once (1/2).
        Assert.Equal(2, fused.Count);
        Assert.Same(first, fused[0].Hit);
        Assert.Equal(2.0, fused[0].Score);
        Assert.Same(otherTenant, fused[1].Hit);
        Assert.Equal(0.5, fused[1].Score);
    }

    [Fact]
    public void No_lists_or_empty_lists_fuse_to_nothing()
    {
        Assert.Empty(Fuse(FusionMethod.Linear()));
        Assert.Empty(Fuse(FusionMethod.DistributionBased(), ([], 1f), ([], 2f)));
        Assert.Empty(Fuse(FusionMethod.ReciprocalRank(), ([], 1f)));
    }

    public static TheoryData<int> Kinds() => [0, 1, 2];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Random_lists_fuse_as_the_reference_does(int kindValue)
    {
        var kind = (FusionKind)kindValue;
        for (int seed = 0; seed < 30; seed++)
        {
            var rng = new Random(seed + (100 * kindValue));
            int listCount = rng.Next(1, 5);
            var lists = new List<IReadOnlyList<SearchHit>>();
            var weights = new List<float>();
            for (int l = 0; l < listCount; l++)
            {
                // Ids from a small pool so records recur across lists; scores descending (a ranked list), a few equal.
                int length = rng.Next(0, 15);
                List<ulong> ids = [.. Enumerable.Range(1, 20).Select(i => (ulong)i).OrderBy(_ => rng.Next()).Take(length)];
                float score = (float)(rng.NextDouble() * 10);
                var list = new List<SearchHit>();
                foreach (ulong id in ids)
                {
                    list.Add(Hit(id, score, ns: id % 3 == 0 ? "other" : ""));
                    score -= rng.Next(0, 3) == 0 ? 0 : (float)rng.NextDouble();
                }
                lists.Add(list);
                weights.Add(rng.Next(1, 4) * 0.5f);
            }
            FusionMethod method = kind switch
            {
                FusionKind.ReciprocalRank => FusionMethod.ReciprocalRank(rng.Next(0, 70)),
                FusionKind.Linear => FusionMethod.Linear(),
                _ => FusionMethod.DistributionBased(),
            };

            List<(string Ns, ulong Id, double Score)> expected = Reference(lists, weights, method);
            List<FusedHit> actual = ScoreFusion.Fuse(lists, weights, method);
            Assert.Equal(expected.Select(e => (e.Ns, e.Id)), actual.Select(a => (a.Hit.Namespace, a.Hit.Id.AsNumber)));
            for (int i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Score, actual[i].Score, 9);
            }
        }
    }

    /// <summary>
    /// The fusion of docs/search.md, written out for the test: each list's contribution per record (weight / (k + rank),
    /// ranks from 1; or the score mapped linearly so that [min, max] (linear) or [mean - 3 sd, mean + 3 sd]
    /// (distribution-based) becomes [0, 1], clamped, and 1 when the list has no spread), summed per (namespace, id),
    /// sorted by the sum descending, first appearance first among equal sums.
    /// </summary>
    private static List<(string Ns, ulong Id, double Score)> Reference(List<IReadOnlyList<SearchHit>> lists, List<float> weights, FusionMethod method)
    {
        var sums = new Dictionary<(string, ulong), double>();
        var firstSeen = new List<(string, ulong)>();
        for (int l = 0; l < lists.Count; l++)
        {
            IReadOnlyList<SearchHit> list = lists[l];
            double[] scores = [.. list.Select(h => (double)h.Score)];
            double from = 0, to = 0;
            if (scores.Length > 0 && method.Kind == FusionKind.Linear)
            {
                from = scores.Min();
                to = scores.Max();
            }
            else if (scores.Length > 0 && method.Kind == FusionKind.DistributionBased)
            {
                double mean = scores.Average();
                double sd = Math.Sqrt(scores.Select(s => (s - mean) * (s - mean)).Average());
                from = mean - (3 * sd);
                to = mean + (3 * sd);
            }
            for (int r = 0; r < list.Count; r++)
            {
                double part = method.Kind switch
                {
                    FusionKind.ReciprocalRank => 1.0 / (method.K + r + 1),
                    _ when to <= from => 1.0,
                    _ => Math.Min(1, Math.Max(0, (scores[r] - from) / (to - from))),
                };
                var key = (list[r].Namespace, list[r].Id.AsNumber);
                if (!sums.ContainsKey(key))
                {
                    sums[key] = 0;
                    firstSeen.Add(key);
                }
                sums[key] += weights[l] * part;
            }
        }
        return [.. firstSeen.Select((k, order) => (k, order))
            .OrderByDescending(x => sums[x.k]).ThenBy(x => x.order)
            .Select(x => (x.k.Item1, x.k.Item2, sums[x.k]))];
    }
}
