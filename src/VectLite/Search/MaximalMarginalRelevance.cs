using VectLite.Search.Fusion;
using VectLite.Vectors;

namespace VectLite.Search;

/// <summary>
/// Maximal marginal relevance over fused candidates (<see cref="MmrOptions"/>): greedy, O(k * candidates) similarity
/// computations, each a cosine between two candidates' vectors of one named vector.
/// </summary>
internal static class MaximalMarginalRelevance
{
    /// <summary>
    /// Picks up to <paramref name="count"/> of <paramref name="candidates"/> (best fused first; each hit carries the
    /// vector <paramref name="vectorName"/>), in pick order. The scores stay the fused ones.
    /// </summary>
    public static List<FusedHit> Select(List<FusedHit> candidates, int count, float lambda, string vectorName)
    {
        int n = candidates.Count;
        var picked = new List<FusedHit>(Math.Min(count, n));
        if (n == 0)
        {
            return picked;
        }
        double best = candidates[0].Score, worst = candidates[n - 1].Score;
        double range = best - worst;
        var vectors = new float[n][];
        var norms = new float[n];
        for (int i = 0; i < n; i++)
        {
            vectors[i] = candidates[i].Hit.Vectors![vectorName].ToArray();
            norms[i] = MathF.Sqrt(VectorKernels.SumOfSquares(vectors[i]));
        }
        // The highest similarity of each candidate to anything picked so far; -inf before the first pick.
        var maxSimilarity = new double[n];
        Array.Fill(maxSimilarity, double.NegativeInfinity);
        var taken = new bool[n];
        while (picked.Count < count && picked.Count < n)
        {
            int choice = -1;
            double choiceValue = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                if (taken[i])
                {
                    continue;
                }
                double relevance = range > 0 ? (candidates[i].Score - worst) / range : 1.0;
                double redundancy = picked.Count == 0 ? 0 : maxSimilarity[i];
                double value = (lambda * relevance) - ((1 - lambda) * redundancy);
                if (value > choiceValue)
                {
                    choiceValue = value;
                    choice = i;
                }
            }
            taken[choice] = true;
            picked.Add(candidates[choice]);
            for (int i = 0; i < n; i++)
            {
                if (!taken[i])
                {
                    float denominator = norms[i] * norms[choice];
                    double similarity = denominator > 0 ? VectorKernels.Dot(vectors[i], vectors[choice]) / denominator : 0;
                    maxSimilarity[i] = Math.Max(maxSimilarity[i], similarity);
                }
            }
        }
        return picked;
    }
}
