using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>
/// The data one metric variant runs on, in memory for VectLite and in a folder for the peer: the base vectors, the
/// timed queries and their ground truth. Owns that folder when it had to write one (deleted on dispose).
/// </summary>
internal sealed class HnswVariantData : IDisposable
{
    private readonly TempDirectory? _folder;

    private HnswVariantData(HnswMetricVariant variant, TexmexFile<float> vectors, TexmexFile<float> queries, TexmexFile<int> truth, string peerDirectory, TempDirectory? folder, string preparation)
    {
        Variant = variant;
        Base = vectors;
        Queries = queries;
        Truth = truth;
        PeerDirectory = peerDirectory;
        _folder = folder;
        Preparation = preparation;
    }

    /// <summary>The metric variant.</summary>
    public HnswMetricVariant Variant { get; }

    /// <summary>The base vectors; row i is record id i, as the ground truth counts them.</summary>
    public TexmexFile<float> Base { get; }

    /// <summary>The timed queries (the first <c>--queries</c> of query.fvecs).</summary>
    public TexmexFile<float> Queries { get; }

    /// <summary>Ground truth: per query, base rows best first (at least <see cref="HnswSettings.K"/>).</summary>
    public TexmexFile<int> Truth { get; }

    /// <summary>The folder the peer reads: base.fvecs, query.fvecs (exactly <see cref="Queries"/>) and gt.ivecs.</summary>
    public string PeerDirectory { get; }

    /// <summary>For the report: where the data and its ground truth came from.</summary>
    public string Preparation { get; }

    /// <summary>
    /// Prepares <paramref name="variant"/> from the data set in <paramref name="dataDirectory"/> (already read into
    /// <paramref name="vectors"/>, <paramref name="queries"/>, <paramref name="truth"/>), keeping the first
    /// <paramref name="queryCount"/> queries. L2 uses the files as they are (the peer reads the original folder, or a
    /// temporary one holding a link to base.fvecs and the shortened query and ground-truth files); cosine normalises
    /// every vector, recomputes the ground truth by brute force and writes all three files to a temporary folder.
    /// </summary>
    /// <exception cref="InvalidDataException">A vector is all zeros (no cosine), or the ground truth is too shallow.</exception>
    public static HnswVariantData Prepare(HnswMetricVariant variant, string dataDirectory, TexmexFile<float> vectors, TexmexFile<float> queries, TexmexFile<int> truth, int queryCount)
    {
        TexmexFile<float> timedQueries = queries.Take(queryCount);
        if (!variant.Normalized)
        {
            if (truth.Dimension < HnswSettings.K)
            {
                throw new InvalidDataException($"gt.ivecs holds {truth.Dimension} neighbours per query; recall@{HnswSettings.K} needs {HnswSettings.K}.");
            }
            TexmexFile<int> timedTruth = truth.Take(queryCount);
            if (queryCount == queries.Count && queryCount == truth.Count)
            {
                return new HnswVariantData(variant, vectors, timedQueries, timedTruth, dataDirectory, null, $"`{dataDirectory}` as it is, ground truth from its gt.ivecs");
            }
            TempDirectory subset = WriteFolder(variant, folder =>
            {
                File.CreateSymbolicLink(Path.Combine(folder, "base.fvecs"), Path.GetFullPath(Path.Combine(dataDirectory, "base.fvecs")));
                timedQueries.Write(Path.Combine(folder, "query.fvecs"));
                timedTruth.Write(Path.Combine(folder, "gt.ivecs"));
            });
            return new HnswVariantData(variant, vectors, timedQueries, timedTruth, subset.Path, subset,
                $"`{dataDirectory}` as it is, ground truth from its gt.ivecs; the peer reads a temporary folder with the same base.fvecs and the first {Format.Count(queryCount)} queries");
        }

        var watch = Stopwatch.StartNew();
        TexmexFile<float> unitVectors = Normalize(vectors, "base.fvecs");
        TexmexFile<float> unitQueries = Normalize(timedQueries, "query.fvecs");
        Console.Error.WriteLine($"hnsw {variant.Name}: computing exact ground truth for {Format.Count(unitQueries.Count)} queries by brute force");
        TexmexFile<int> unitTruth = GroundTruth.MaxInnerProduct(unitVectors, unitQueries);
        TimeSpan truthTime = watch.Elapsed;
        TempDirectory folder = WriteFolder(variant, path =>
        {
            unitVectors.Write(Path.Combine(path, "base.fvecs"));
            unitQueries.Write(Path.Combine(path, "query.fvecs"));
            unitTruth.Write(Path.Combine(path, "gt.ivecs"));
        });
        Console.Error.WriteLine($"hnsw {variant.Name}: normalised data and ground truth ready in {Format.Seconds(truthTime)}, written to {folder.Path}");
        return new HnswVariantData(variant, unitVectors, unitQueries, unitTruth, folder.Path, folder,
            $"`{dataDirectory}` with every base and query vector divided by its L2 norm (norm computed in double), written as fvecs to a " +
            $"temporary folder for the peer; ground truth recomputed exactly for the normalised data (brute-force maximum inner " +
            $"product, the top {GroundTruth.Depth} rescored in double; {Format.Seconds(truthTime)}) and written as gt.ivecs beside it");
    }

    /// <summary>Deletes the temporary folder, if any.</summary>
    public void Dispose() => _folder?.Dispose();

    /// <summary>Creates a temporary folder and fills it with <paramref name="write"/>, deleting it if that fails.</summary>
    private static TempDirectory WriteFolder(HnswMetricVariant variant, Action<string> write)
    {
        TempDirectory folder = TempDirectory.Create("hnsw-" + variant.Name);
        try
        {
            write(folder.Path);
            return folder;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    private static TexmexFile<float> Normalize(TexmexFile<float> source, string name)
    {
        int dimension = source.Dimension;
        var data = new float[source.Data.Length];
        for (int i = 0; i < source.Count; i++)
        {
            ReadOnlySpan<float> row = source.Row(i).Span;
            double squares = 0;
            foreach (float x in row)
            {
                squares += (double)x * x;
            }
            if (squares == 0)
            {
                throw new InvalidDataException($"{name}: row {i} is all zeros and has no direction to normalise.");
            }
            double scale = 1 / Math.Sqrt(squares);
            Span<float> target = data.AsSpan(i * dimension, dimension);
            for (int j = 0; j < dimension; j++)
            {
                target[j] = (float)(row[j] * scale);
            }
        }
        return TexmexFile<float>.FromRows(data, dimension);
    }
}
