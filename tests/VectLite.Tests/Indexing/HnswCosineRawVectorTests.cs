using VectLite.Indexing;
using VectLite.Tests.Vectors;
using VectLite.Vectors;
using Xunit.Abstractions;
using static VectLite.Tests.Indexing.HnswTestData;

namespace VectLite.Tests.Indexing;

/// <summary>
/// A cosine graph over the caller's vectors (any length; the engine no longer normalises them) must be the graph over
/// their unit vectors: every score the build compares, query to node and node to node in the neighbour heuristic, is a
/// cosine, so the length of a vector changes nothing.
/// </summary>
public sealed class HnswCosineRawVectorTests(ITestOutputHelper output)
{
    private const int Count = 2000;
    private const int Dimension = 24;

    [Fact]
    public void A_graph_over_raw_vectors_links_as_the_graph_over_their_unit_vectors()
    {
        (float[][] unit, float[][] raw, _) = Data();
        using VectorArena unitArena = Arena(unit);
        using VectorArena rawArena = Arena(raw);
        HnswGraph overUnit = Build(unitArena, Metric.Cosine, Count);
        HnswGraph overRaw = Build(rawArena, Metric.Cosine, Count);

        // Rounding differs between the two (a norm divided out per score instead of once per vector), so a near tie
        // can fall the other way and change a few lists; the heuristic run on raw dot products, or an insert that
        // searched with its raw vector, changes most of them.
        int same = Enumerable.Range(0, Count).Count(node => overUnit.GetNeighbors(node, 0).SequenceEqual(overRaw.GetNeighbors(node, 0)));
        output.WriteLine($"{same} of {Count} level-0 lists identical");
        Assert.True(same >= Count * 0.9, $"Only {same} of {Count} level-0 lists match the graph over unit vectors.");
        Assert.Equal(overUnit.EntryNode, overRaw.EntryNode);
    }

    [Fact]
    public void A_graph_over_raw_vectors_finds_the_true_cosine_neighbours()
    {
        (_, float[][] raw, float[][] queries) = Data();
        using VectorArena arena = Arena(raw);
        HnswGraph graph = Build(arena, Metric.Cosine, Count);

        long found = 0;
        foreach (float[] query in queries)
        {
            // Ground truth in double, from the raw vectors; the graph takes a unit query, as the engine passes it.
            HashSet<int> truth = Enumerable.Range(0, Count)
                .OrderByDescending(row => CosineKernelTests.CosineInDouble(query, raw[row])).Take(10).ToHashSet();
            (float Score, int Row)[] hits = Query(graph, CosineKernelTests.UnitInDouble(query), 10, 64);
            found += hits.Count(h => truth.Contains(h.Row));
            foreach ((float score, int row) in hits)
            {
                Assert.True(Math.Abs(score - CosineKernelTests.CosineInDouble(query, raw[row])) <= 1e-5, $"row {row}: score {score}");
            }
        }

        double recall = found / (10.0 * queries.Length);
        output.WriteLine($"recall@10 at ef 64: {recall:F3}");
        Assert.True(recall >= 0.99, $"recall@10 at ef 64 is {recall:F3}.");
    }

    /// <summary>
    /// Clustered unit vectors, the same vectors each scaled by its own factor from 1e-3 to 1e3 (so a raw dot product
    /// would rank by length, not angle), and held-out queries, also scaled.
    /// </summary>
    private static (float[][] Unit, float[][] Raw, float[][] Queries) Data()
    {
        (float[][] unit, float[][] queries) = WithQueries(seed: 99, Count, 40, Dimension, normalize: true);
        var rng = new Random(100);
        float[][] raw = unit.Select(v => Scale(v, MathF.Pow(10f, (rng.NextSingle() * 6f) - 3f))).ToArray();
        return (unit, raw, queries.Select(q => Scale(q, 1f + (50f * rng.NextSingle()))).ToArray());
    }

    private static float[] Scale(float[] v, float factor) => v.Select(x => x * factor).ToArray();
}
