using VectLite.Search;
using VectLite.Search.Fusion;

namespace VectLite.Tests.Search;

/// <summary>
/// <see cref="MaximalMarginalRelevance.Select"/> on hand-made candidates, without a database: the cases the end-to-end
/// MMR test in <see cref="HybridQueryTests"/> (three unit-direction candidates, two picks) cannot tell apart: equal fused
/// scores, more picks wanted than candidates, a zero vector, ties, vectors whose lengths differ, and seeded random
/// candidates against a greedy reference written here from docs/search.md.
/// </summary>
public sealed class MaximalMarginalRelevanceTests
{
    private const string Name = "v";

    private static FusedHit Candidate(ulong id, double score, params float[] vector) =>
        new(new SearchHit(id, "", (float)score, null, new Dictionary<string, ReadOnlyMemory<float>> { [Name] = vector }, null, null), score);

    private static ulong[] Ids(List<FusedHit> picked) => [.. picked.Select(p => p.Hit.Id.AsNumber)];

    [Fact]
    public void Equal_fused_scores_count_as_fully_relevant_and_diversity_decides()
    {
        // Every score 0.5: no spread, relevance 1 for all. 1 is picked first (the first of equals); then 2 (parallel to 1,
        // cosine 1) scores 0.5 - 0.5 = 0 and 3 (at a right angle, cosine 0) 0.5: 3; then 2.
        List<FusedHit> candidates = [Candidate(1, 0.5, 1, 0), Candidate(2, 0.5, 2, 0), Candidate(3, 0.5, 0, 1)];
        List<FusedHit> picked = MaximalMarginalRelevance.Select(candidates, 3, 0.5f, Name);
        Assert.Equal([1UL, 3, 2], Ids(picked));
        Assert.All(picked, p => Assert.Equal(0.5, p.Score)); // the fused scores, unchanged
    }

    [Fact]
    public void Asking_for_more_than_the_candidates_returns_each_once()
    {
        List<FusedHit> candidates = [Candidate(1, 0.9, 1, 0), Candidate(2, 0.5, 1, 1), Candidate(3, 0.1, 0, 1)];
        Assert.Equal([1UL, 3, 2], Ids(MaximalMarginalRelevance.Select(candidates, 10, 0.5f, Name)));
        Assert.Empty(MaximalMarginalRelevance.Select([], 10, 0.5f, Name));
    }

    [Fact]
    public void A_zero_vector_is_similar_to_nothing()
    {
        // Relevance 1, 0.5, 0 (scores 1, 0.5, 0). After 1: 2 is a zero vector (similarity 0): 0.5 x 0.5 = 0.25; 3 is
        // parallel to 1: 0 - 0.5 = -0.5. Then 3. A zero-length vector must not turn its similarity into NaN (0 / 0).
        List<FusedHit> candidates = [Candidate(1, 1, 3, 4), Candidate(2, 0.5, 0, 0), Candidate(3, 0, 6, 8)];
        Assert.Equal([1UL, 2, 3], Ids(MaximalMarginalRelevance.Select(candidates, 3, 0.5f, Name)));

        // Only zero vectors: every similarity 0, so the fused order.
        List<FusedHit> zeros = [Candidate(1, 1, 0, 0), Candidate(2, 0.5, 0, 0), Candidate(3, 0, 0, 0)];
        Assert.Equal([1UL, 2, 3], Ids(MaximalMarginalRelevance.Select(zeros, 3, 0.5f, Name)));
    }

    [Fact]
    public void Between_equal_values_the_better_fused_candidate_is_picked()
    {
        // Lambda 1 is relevance alone: 2 and 3 have the same fused score, so the same value; 2 comes first in fused order.
        List<FusedHit> candidates = [Candidate(1, 1, 1, 0), Candidate(2, 0.5, 0, 1), Candidate(3, 0.5, 1, 1), Candidate(4, 0, 1, 2)];
        Assert.Equal([1UL, 2, 3, 4], Ids(MaximalMarginalRelevance.Select(candidates, 4, 1f, Name)));
    }

    [Fact]
    public void Similarity_is_the_cosine_whatever_the_vectors_lengths()
    {
        // Scores 1, 0.6, 0.5, 0: relevance 1, 0.6, 0.5, 0. Lambda 0.5. 1 = (2, 0) is picked first.
        // 2 = (3, 4) x 10 (length 50): cosine with 1 = 6 / 10 = 0.6 -> 0.3 - 0.3 = 0.
        // 3 = (0.1, 0.2) (length 0.2236): cosine with 1 = 0.2 / (2 x 0.2236) = 0.4472 -> 0.25 - 0.2236 = 0.0264: picked.
        // 4 = (0, 5), at a right angle: 0. A similarity over the lengths' quotient instead of their product (60 / 25 = 2.4
        // and 0.2 / 0.1118 = 1.789) gives 2 and 3 -0.9 and -0.644, and 4 would be picked.
        List<FusedHit> candidates = [Candidate(1, 1, 2, 0), Candidate(2, 0.6, 30, 40), Candidate(3, 0.5, 0.1f, 0.2f), Candidate(4, 0, 0, 5)];
        List<FusedHit> picked = MaximalMarginalRelevance.Select(candidates, 2, 0.5f, Name);
        Assert.Equal([1UL, 3], Ids(picked));
    }

    [Fact]
    public void Random_candidates_are_picked_as_the_reference_picks_them()
    {
        foreach (float lambda in new[] { 0f, 0.3f, 0.5f, 0.7f, 1f })
        {
            for (int seed = 0; seed < 40; seed++)
            {
                var rng = new Random(seed);
                int n = rng.Next(1, 25), dimension = rng.Next(2, 6), count = rng.Next(1, 30);
                var candidates = new List<FusedHit>();
                double score = 3;
                for (int i = 0; i < n; i++)
                {
                    // Lengths from 0.1 to 10, so a similarity that is not a cosine shows.
                    float[] v = [.. Enumerable.Range(0, dimension).Select(_ => (float)((rng.NextDouble() - 0.3) * Math.Pow(10, rng.Next(-1, 2))))];
                    candidates.Add(Candidate((ulong)(i + 1), score, v));
                    score -= rng.NextDouble();
                }

                ulong[] expected = Reference(candidates, count, lambda);
                Assert.Equal(expected, Ids(MaximalMarginalRelevance.Select(candidates, count, lambda, Name)));
            }
        }
    }

    /// <summary>
    /// Greedy MMR as docs/search.md states it, in double: relevance is the fused score min-max normalised over the
    /// candidates (1 when they are all equal); the value of a candidate is lambda x relevance - (1 - lambda) x its
    /// highest cosine to a picked one (0 before the first pick; a zero vector's cosine is 0); the highest value is
    /// picked, the first in fused order among equals, until count are picked or none is left.
    /// </summary>
    private static ulong[] Reference(List<FusedHit> candidates, int count, float lambda)
    {
        double[][] vectors = [.. candidates.Select(c => c.Hit.Vectors![Name].ToArray().Select(x => (double)x).ToArray())];
        double best = candidates.Max(c => c.Score), worst = candidates.Min(c => c.Score);
        var picked = new List<int>();
        while (picked.Count < Math.Min(count, candidates.Count))
        {
            int choice = -1;
            double choiceValue = double.NegativeInfinity;
            for (int i = 0; i < candidates.Count; i++)
            {
                if (picked.Contains(i))
                {
                    continue;
                }
                double relevance = best > worst ? (candidates[i].Score - worst) / (best - worst) : 1;
                double redundancy = picked.Count == 0 ? 0 : picked.Max(p => Cosine(vectors[i], vectors[p]));
                double value = (lambda * relevance) - ((1 - lambda) * redundancy);
                if (choice < 0 || value > choiceValue + 1e-9)
                {
                    choice = i;
                    choiceValue = value;
                }
            }
            picked.Add(choice);
        }
        return [.. picked.Select(i => candidates[i].Hit.Id.AsNumber)];
    }

    private static double Cosine(double[] a, double[] b)
    {
        double dot = a.Zip(b, (x, y) => x * y).Sum();
        double norms = Math.Sqrt(a.Sum(x => x * x)) * Math.Sqrt(b.Sum(x => x * x));
        return norms > 0 ? dot / norms : 0;
    }
}
