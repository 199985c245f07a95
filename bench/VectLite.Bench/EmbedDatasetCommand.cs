using System.CommandLine;
using System.Diagnostics;
using VectLite.Embeddings;

namespace VectLite.Bench;

/// <summary>
/// <c>embed-dataset [--corpus FILE] [--queries 1000] [--base-count N] [--seed 11] [--gt-depth 100] [--out DIR]</c>: a real 384-d text
/// embedding data set in the TEXMEX layout the other benches and the peers read. The texts are the one-line synopses of
/// Debian's package descriptions (about 60,000 distinct ones in bookworm's main archive), embedded with all-MiniLM-L6-v2
/// through VectLite.Embeddings (unit vectors, so L2 order is cosine order). A seeded shuffle holds
/// <c>--queries</c> distinct texts out as queries; the rest are the base (or the first <c>--base-count</c> of the rest,
/// for a smaller collection of the same kind: the queries stay the same texts). The ground truth (exact L2 top-100 per
/// query) is a plain double-precision brute force here, independent of VectLite's search code.
/// </summary>
/// <remarks>
/// Writes <c>base.fvecs</c>, <c>query.fvecs</c>, <c>gt.ivecs</c>, and <c>base.txt</c> / <c>query.txt</c> (the texts,
/// one a line, in row order) so a row can be read back as what it says. The embeddings are cached by
/// <see cref="EmbeddingCache"/>, so a re-run with the same corpus only recomputes the ground truth.
/// </remarks>
internal static class EmbedDatasetCommand
{
    /// <summary>The default output folder, under the repository's bench cache.</summary>
    public static string DefaultFolder => Path.Combine(BenchPaths.RepositoryRoot, "bench", ".cache", "minilm-debian-synopses");

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var corpus = new Option<string?>("--corpus") { Description = "Debian Translation-en index (default: the main archive's, from /var/lib/apt/lists)." };
        var queries = new Option<int>("--queries") { Description = "Distinct texts held out of the base as queries.", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "Seed of the shuffle that picks the queries.", DefaultValueFactory = _ => 11 };
        var baseCount = new Option<int?>("--base-count") { Description = "Keep only the first N base texts of the shuffle (default: all of them); the queries are the same." };
        var depth = new Option<int>("--gt-depth") { Description = "Exact neighbours per query in gt.ivecs.", DefaultValueFactory = _ => 100 };
        var cache = new Option<string>("--cache") { Description = "Where MiniLM embeddings are kept between runs.", DefaultValueFactory = _ => Path.Combine(BenchPaths.RepositoryRoot, "bench", ".cache") };
        var output = new Option<string>("--out") { Description = "The data folder to write.", DefaultValueFactory = _ => DefaultFolder };
        var command = new Command("embed-dataset", "Embeds Debian's package synopses with MiniLM (384-d) into a TEXMEX folder: base.fvecs, query.fvecs, gt.ivecs (exact L2 top-100).")
        {
            corpus, queries, baseCount, seed, depth, cache, output,
        };
        command.SetAction(result =>
        {
            Run(result.GetValue(corpus) ?? DebianDescriptions.FindIndex(), result.GetValue(queries), result.GetValue(baseCount), result.GetValue(seed), result.GetValue(depth),
                result.GetRequiredValue(cache), result.GetRequiredValue(output));
            return 0;
        });
        return command;
    }

    private static void Run(string corpusPath, int queryCount, int? baseCount, int seed, int depth, string cacheFolder, string outputFolder)
    {
        var watch = Stopwatch.StartNew();
        // Distinct synopses in file order (identical texts would be exact duplicates in the base and make ties in the truth).
        var distinct = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (DebianPackage package in DebianDescriptions.Load(corpusPath))
        {
            if (package.Synopsis.Length > 0 && seen.Add(package.Synopsis))
                distinct.Add(package.Synopsis);
        }
        if (queryCount < 1 || queryCount >= distinct.Count / 2)
            throw new ArgumentOutOfRangeException(nameof(queryCount), $"--queries {queryCount} must be at least 1 and under half of the {distinct.Count:N0} distinct synopses.");
        var random = new Random(seed);
        string[] shuffled = [.. distinct];
        random.Shuffle(shuffled);
        string[] queryTexts = shuffled[..queryCount];
        string[] baseTexts = shuffled[queryCount..];
        if (baseCount is { } count)
        {
            if (count < 1 || count > baseTexts.Length)
                throw new ArgumentOutOfRangeException(nameof(baseCount), $"--base-count {count} must be between 1 and the {baseTexts.Length:N0} base texts.");
            baseTexts = baseTexts[..count];
        }
        Console.Error.WriteLine($"{distinct.Count:N0} distinct synopses from {corpusPath}: {baseTexts.Length:N0} base, {queryTexts.Length:N0} queries");

        float[][] baseVectors = EmbeddingCache.Get(baseTexts, cacheFolder, "base synopses", out TimeSpan baseTime);
        float[][] queryVectors = EmbeddingCache.Get(queryTexts, cacheFolder, "query synopses", out TimeSpan queryTime);
        Console.Error.WriteLine($"embedding: base {(baseTime == TimeSpan.Zero ? "cached" : Format.Seconds(baseTime))}, queries {(queryTime == TimeSpan.Zero ? "cached" : Format.Seconds(queryTime))}");

        int[] truth = ExactTopL2(baseVectors, queryVectors, Math.Min(depth, baseVectors.Length));
        Directory.CreateDirectory(outputFolder);
        const int dims = MiniLmEmbeddingGenerator.Dimensions;
        TexmexFile<float>.FromRows([.. baseVectors.SelectMany(v => v)], dims).Write(Path.Combine(outputFolder, "base.fvecs"));
        TexmexFile<float>.FromRows([.. queryVectors.SelectMany(v => v)], dims).Write(Path.Combine(outputFolder, "query.fvecs"));
        TexmexFile<int>.FromRows(truth, Math.Min(depth, baseVectors.Length)).Write(Path.Combine(outputFolder, "gt.ivecs"));
        File.WriteAllLines(Path.Combine(outputFolder, "base.txt"), baseTexts.Select(OneLine));
        File.WriteAllLines(Path.Combine(outputFolder, "query.txt"), queryTexts.Select(OneLine));
        Console.WriteLine($"wrote {outputFolder}: {baseVectors.Length:N0} x {dims} base, {queryVectors.Length:N0} queries, exact top-{depth} L2 ({Format.Seconds(watch.Elapsed)})");
    }

    private static string OneLine(string text) => text.Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>
    /// Exact L2 top-<paramref name="depth"/> of every query, as base row numbers, nearest first (ties by row): squared
    /// distances summed in double over the raw floats, deliberately without VectLite's kernels.
    /// </summary>
    private static int[] ExactTopL2(float[][] baseVectors, float[][] queryVectors, int depth)
    {
        var truth = new int[queryVectors.Length * depth];
        int done = 0;
        Parallel.For(0, queryVectors.Length, q =>
        {
            float[] query = queryVectors[q];
            var distances = new double[baseVectors.Length];
            for (int i = 0; i < baseVectors.Length; i++)
            {
                float[] row = baseVectors[i];
                double sum = 0;
                for (int d = 0; d < row.Length; d++)
                {
                    double diff = (double)row[d] - query[d];
                    sum += diff * diff;
                }
                distances[i] = sum;
            }
            int[] order = [.. Enumerable.Range(0, baseVectors.Length).OrderBy(i => distances[i]).ThenBy(i => i).Take(depth)];
            order.CopyTo(truth, q * depth);
            int finished = Interlocked.Increment(ref done);
            if (finished % 100 == 0)
                Console.Error.Write($"\rground truth: {finished:N0} / {queryVectors.Length:N0}   ");
        });
        Console.Error.WriteLine();
        return truth;
    }
}
