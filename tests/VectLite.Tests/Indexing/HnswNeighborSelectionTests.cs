using VectLite.Indexing;
using VectLite.Vectors;
using Xunit.Abstractions;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

/// <summary>
/// The neighbour heuristic's scores between stored vectors: for L2 and L1 they are bounded by the candidate's own score
/// (a distance that cannot beat it stops part-way), which must change no decision: the graph built that way has every
/// link of the graph built with every score in full.
/// </summary>
public sealed class HnswNeighborSelectionTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(Metric.L2)]
    [InlineData(Metric.L1)]
    [InlineData(Metric.Dot)]
    public void Bounded_scores_in_the_heuristic_give_every_link_of_full_scores(Metric metric)
    {
        // M 4 on 2,000 clustered rows of 200 components (the bounded distance checks its partial sum every 128): every list overflows and is re-selected many times, so the heuristic decides often.
        (float[][] vectors, _) = WithQueries(seed: 41, 2000, 1, 200, scaleNorms: metric == Metric.Dot);
        using VectorArena arena = Arena(vectors);
        var parameters = new HnswParameters(4, 64, 0);

        var bounded = new HnswGraph(arena, metric, parameters);
        bounded.AddMany(Rows(vectors.Length), 1);
        HnswGraph full;
        HnswGraph.FullNeighborScoresForTests = true;
        try
        {
            full = new HnswGraph(arena, metric, parameters);
            full.AddMany(Rows(vectors.Length), 1);
        }
        finally
        {
            HnswGraph.FullNeighborScoresForTests = false;
        }

        int lists = 0, links = 0;
        for (int node = 0; node < vectors.Length; node++)
        {
            Assert.Equal(full.GetLevel(node), bounded.GetLevel(node));
            for (int level = 0; level <= full.GetLevel(node); level++)
            {
                int[] expected = full.GetNeighbors(node, level);
                Assert.Equal(expected, bounded.GetNeighbors(node, level));
                lists++;
                links += expected.Length;
            }
        }
        output.WriteLine($"{metric}: {lists} link lists, {links} links, all identical");
        Assert.True(links >= 2000 * 4, $"{links} links: the graph is not linked as the test assumes");
        AssertWellFormed(bounded);
    }
}
