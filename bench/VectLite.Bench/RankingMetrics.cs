namespace VectLite.Bench;

/// <summary>MRR@10, recall@10 and recall@100 of ranked answers against sets of relevant documents.</summary>
internal sealed class RankingMetrics
{
    private double _reciprocalRanks, _recall10, _recall100;
    private int _queries;

    /// <summary>Scores one query's ranking (best first) against its relevant documents.</summary>
    public void Add(IReadOnlyList<int> ranked, IReadOnlySet<int> relevant)
    {
        _queries++;
        int found10 = 0, found100 = 0;
        double reciprocal = 0;
        for (int i = 0; i < ranked.Count && i < 100; i++)
        {
            if (!relevant.Contains(ranked[i]))
                continue;
            found100++;
            if (i < 10)
            {
                found10++;
                if (reciprocal == 0)
                    reciprocal = 1.0 / (i + 1);
            }
        }
        _reciprocalRanks += reciprocal;
        _recall10 += (double)found10 / Math.Min(relevant.Count, 10);
        _recall100 += (double)found100 / Math.Min(relevant.Count, 100);
    }

    /// <summary>Mean reciprocal rank of the first relevant document in the top 10.</summary>
    public double Mrr10 => _reciprocalRanks / _queries;

    /// <summary>Relevant documents in the top 10 over min(relevant, 10), averaged.</summary>
    public double Recall10 => _recall10 / _queries;

    /// <summary>Relevant documents in the top 100 over min(relevant, 100), averaged.</summary>
    public double Recall100 => _recall100 / _queries;
}
