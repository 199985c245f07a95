using VectLite.Quantization;
using VectLite.Vectors;

namespace VectLite.Tests.Quantization;

/// <summary>
/// PQ's codebooks: codes against a nearest-centroid brute force written here, the asymmetric distance against the
/// distance to the decoded vector computed here, the lookup kernel against its scalar twin, and training's determinism.
/// </summary>
public sealed class PqCodecTests
{
    private const int Dimension = 16;
    private const int Subvectors = 4;
    private const int SubDimension = Dimension / Subvectors;
    private const int K = QuantizationOptions.PqCentroids;

    private static float[] Sample(int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count * Dimension).Select(_ => (float)((random.NextDouble() * 4) - 2))];
    }

    private static PqCodebook Trained() => PqTrainer.Train(Sample(1200, seed: 1), 1200, Dimension, Subvectors);

    /// <summary>Centroid <paramref name="c"/> of sub-space <paramref name="m"/>, read straight from the documented [m][d][c] layout.</summary>
    private static float[] Centroid(PqCodebook pq, int m, int c) =>
        [.. Enumerable.Range(0, SubDimension).Select(d => pq.Centroids[(((m * SubDimension) + d) * K) + c])];

    private static float[] DecodeHere(PqCodebook pq, byte[] code) =>
        [.. Enumerable.Range(0, Subvectors).SelectMany(m => Centroid(pq, m, code[m]))];

    [Fact]
    public void Each_subvector_is_coded_as_its_nearest_centroid_and_the_error_is_the_distance_to_the_decoded_vector()
    {
        PqCodebook pq = Trained();
        Assert.Equal(Subvectors, pq.Subvectors);
        float[] vectors = Sample(50, seed: 2);
        var code = new byte[Subvectors];
        for (int i = 0; i < 50; i++)
        {
            ReadOnlySpan<float> v = vectors.AsSpan(i * Dimension, Dimension);
            double error = pq.Encode(v, code);
            double expectedError = 0;
            for (int m = 0; m < Subvectors; m++)
            {
                // Brute force: the centroid with the least squared distance (the first on a tie).
                int best = -1;
                double bestDistance = double.PositiveInfinity;
                for (int c = 0; c < K; c++)
                {
                    float[] centroid = Centroid(pq, m, c);
                    double distance = 0;
                    for (int d = 0; d < SubDimension; d++)
                    {
                        double diff = v[(m * SubDimension) + d] - centroid[d];
                        distance += diff * diff;
                    }
                    if (distance < bestDistance)
                    {
                        bestDistance = distance;
                        best = c;
                    }
                }
                Assert.Equal(best, code[m]);
                expectedError += bestDistance;
            }
            Assert.Equal(expectedError, error, 1e-4);
            var decoded = new float[Dimension];
            pq.Decode(code, decoded);
            Assert.Equal(DecodeHere(pq, code), decoded);
        }
    }

    [Theory]
    [InlineData(Metric.L2)]
    [InlineData(Metric.Dot)]
    [InlineData(Metric.Cosine)]
    [InlineData(Metric.L1)]
    public void The_asymmetric_score_is_the_query_against_the_decoded_vector(Metric metric)
    {
        PqCodebook pq = Trained();
        var random = new Random(3);
        var table = new float[Subvectors * K];
        var code = new byte[Subvectors];
        for (int trial = 0; trial < 30; trial++)
        {
            float[] query = [.. Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 4) - 2))];
            if (metric == Metric.Cosine)
            {
                double norm = Math.Sqrt(query.Sum(x => (double)x * x));
                query = [.. query.Select(x => (float)(x / norm))];
            }
            random.NextBytes(code);
            float[] x = DecodeHere(pq, code);
            double expected = metric switch
            {
                Metric.L2 => -query.Zip(x, (a, b) => (double)(a - b) * (a - b)).Sum(),
                Metric.L1 => -query.Zip(x, (a, b) => Math.Abs((double)a - b)).Sum(),
                _ => query.Zip(x, (a, b) => (double)a * b).Sum(),
            };
            pq.FillTable(query, metric, table);
            Assert.Equal(expected, CodeKernels.SumLookups(table, code), 1e-4);
        }
    }

    [Fact]
    public void SumLookups_matches_its_scalar_twin_at_every_length()
    {
        var random = new Random(4);
        for (int n = 1; n <= 40; n++)
        {
            var table = Enumerable.Range(0, n * 256).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var codes = new byte[n];
            random.NextBytes(codes);
            double expected = 0;
            for (int m = 0; m < n; m++)
            {
                expected += table[(m * 256) + codes[m]];
            }
            Assert.Equal(expected, CodeKernels.SumLookupsScalar(table, codes), 1e-9);
            Assert.Equal(expected, CodeKernels.SumLookups(table, codes), 1e-4);
        }
    }

    [Fact]
    public void KMeans_finds_well_separated_clusters_and_training_is_reproducible()
    {
        // 1-d sub-spaces, 256 tight clusters around the integers 0..255 (10 points each): every centroid must land on
        // one integer (within the spread) and every integer get one centroid, or some cluster would be split or merged.
        const int perCluster = 10;
        var random = new Random(6);
        int count = K * perCluster;
        var points = new float[count];
        for (int i = 0; i < count; i++)
        {
            points[i] = (i % K) + (float)((random.NextDouble() - 0.5) * 0.02);
        }
        PqCodebook pq = PqTrainer.Train(points, count, dimension: 1, subvectors: 1);
        var found = pq.Centroids.Select(c => (int)Math.Round(c)).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, K).ToArray(), found);
        Assert.All(pq.Centroids, c => Assert.True(Math.Abs(c - Math.Round(c)) < 0.01, $"centroid {c} is not a cluster's mean"));
        Assert.True(pq.BaselineError < 0.0001, $"training error {pq.BaselineError}");
        Assert.Equal(pq.Centroids, PqTrainer.Train(points, count, dimension: 1, subvectors: 1).Centroids); // seeded
    }
}
