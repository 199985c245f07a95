namespace VectLite.Quantization;

/// <summary>
/// Trains PQ codebooks: an independent k-means per sub-space on the training sample's sub-vectors.
/// </summary>
/// <remarks>
/// How it works, per sub-space (the sub-spaces run in parallel; each has its own seeded generator, so the result does
/// not depend on the thread count or scheduling):
/// <list type="number">
/// <item>k-means++ start: the first centroid a random sample point, each next one a point drawn with probability
/// proportional to its squared distance to the nearest centroid so far (uniform when all are zero: duplicates).</item>
/// <item>At most <see cref="QuantizationOptions.PqKMeansIterations"/> Lloyd iterations: assign every point to its nearest
/// centroid, move each centroid to its points' mean; stop early when no assignment changed.</item>
/// <item>An empty cluster takes the point farthest from its centroid (deterministic), as faiss splits a large one.</item>
/// </list>
/// The seed is fixed (<see cref="Seed"/>): the same sample always gives the same codebooks, so a retrain is reproducible.
/// </remarks>
internal static class PqTrainer
{
    private const int K = QuantizationOptions.PqCentroids;

    /// <summary>The k-means seed (per sub-space, plus its index): fixed so training is reproducible.</summary>
    internal const int Seed = 0x5eed_0b0c;

    /// <summary>
    /// Trains <paramref name="subvectors"/> codebooks from the <paramref name="count"/> rows of <paramref name="sample"/>
    /// (row-major, <paramref name="dimension"/> floats each, already prepared as the codes see them).
    /// </summary>
    internal static PqCodebook Train(float[] sample, int count, int dimension, int subvectors)
    {
        if (dimension % subvectors != 0)
        {
            throw new ArgumentException($"{subvectors} sub-vectors do not divide the dimension {dimension}.", nameof(subvectors));
        }
        int subDimension = dimension / subvectors;
        var centroids = new float[subvectors * subDimension * K];
        var errors = new double[subvectors];
        Parallel.For(0, subvectors, m =>
        {
            // This sub-space's points, contiguous: [point][d].
            var points = new float[count * subDimension];
            for (int i = 0; i < count; i++)
            {
                Array.Copy(sample, ((long)i * dimension) + (m * subDimension), points, i * subDimension, subDimension);
            }
            errors[m] = TrainSubspace(points, count, subDimension, centroids.AsSpan(m * subDimension * K, subDimension * K), Seed + m);
        });
        double total = 0;
        foreach (double e in errors)
        {
            total += e;
        }
        return new PqCodebook(subvectors, subDimension, centroids, count == 0 ? 0 : total / count);
    }

    /// <summary>
    /// Runs k-means on one sub-space's <paramref name="count"/> points of <paramref name="subDimension"/> and writes the
    /// centroids as <c>[d][c]</c> into <paramref name="centroids"/>; returns the summed squared error of the final assignment.
    /// </summary>
    internal static double TrainSubspace(float[] points, int count, int subDimension, Span<float> centroids, int seed)
    {
        centroids.Clear();
        if (count == 0)
        {
            return 0;
        }
        var random = new Random(seed);
        SeedPlusPlus(points, count, subDimension, centroids, random);

        var assignment = new int[count];
        Array.Fill(assignment, -1);
        var distance = new float[count];
        var sums = new double[K * subDimension];
        var sizes = new int[K];
        Span<float> distances = stackalloc float[K];
        Span<float> sub = stackalloc float[subDimension];
        double error = 0;
        for (int iteration = 0; ; iteration++)
        {
            // Assign.
            int changed = 0;
            error = 0;
            for (int i = 0; i < count; i++)
            {
                points.AsSpan(i * subDimension, subDimension).CopyTo(sub);
                PqCodebook.SubspaceDistances(centroids, sub, distances);
                int best = PqCodebook.ArgMin(distances);
                if (best != assignment[i])
                {
                    changed++;
                    assignment[i] = best;
                }
                distance[i] = distances[best];
                error += distances[best];
            }
            if (changed == 0 || iteration == QuantizationOptions.PqKMeansIterations)
            {
                return error;
            }

            // Update: each centroid to its points' mean; an empty one to the worst-served point.
            Array.Clear(sums);
            Array.Clear(sizes);
            for (int i = 0; i < count; i++)
            {
                int c = assignment[i];
                sizes[c]++;
                for (int d = 0; d < subDimension; d++)
                {
                    sums[(c * subDimension) + d] += points[(i * subDimension) + d];
                }
            }
            for (int c = 0; c < K; c++)
            {
                if (sizes[c] > 0)
                {
                    for (int d = 0; d < subDimension; d++)
                    {
                        centroids[(d * K) + c] = (float)(sums[(c * subDimension) + d] / sizes[c]);
                    }
                    continue;
                }
                int worst = 0;
                for (int i = 1; i < count; i++)
                {
                    if (distance[i] > distance[worst])
                    {
                        worst = i;
                    }
                }
                distance[worst] = 0; // the next empty cluster takes another point
                for (int d = 0; d < subDimension; d++)
                {
                    centroids[(d * K) + c] = points[(worst * subDimension) + d];
                }
            }
        }
    }

    /// <summary>k-means++ seeding into <paramref name="centroids"/> (<c>[d][c]</c>).</summary>
    private static void SeedPlusPlus(float[] points, int count, int subDimension, Span<float> centroids, Random random)
    {
        var nearest = new double[count];
        Array.Fill(nearest, double.PositiveInfinity);
        int chosen = random.Next(count);
        for (int c = 0; c < K; c++)
        {
            for (int d = 0; d < subDimension; d++)
            {
                centroids[(d * K) + c] = points[(chosen * subDimension) + d];
            }
            if (c == K - 1)
            {
                break;
            }
            double total = 0;
            for (int i = 0; i < count; i++)
            {
                double squared = 0;
                for (int d = 0; d < subDimension; d++)
                {
                    double diff = points[(i * subDimension) + d] - centroids[(d * K) + c];
                    squared += diff * diff;
                }
                nearest[i] = Math.Min(nearest[i], squared);
                total += nearest[i];
            }
            if (total <= 0)
            {
                chosen = random.Next(count); // every point is a centroid already: duplicates
                continue;
            }
            double target = random.NextDouble() * total;
            chosen = count - 1;
            for (int i = 0; i < count; i++)
            {
                target -= nearest[i];
                if (target < 0)
                {
                    chosen = i;
                    break;
                }
            }
        }
    }
}
