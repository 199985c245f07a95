using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace VectLite.Bench;

/// <summary>How a filter relates to the query: the three cases of the filtered benchmark.</summary>
internal enum FilterKind
{
    /// <summary>On <c>bucket</c>, a number hashed from the row: independent of the vectors.</summary>
    Uncorrelated,

    /// <summary>On the class label, the query's own class first (then the nearest classes): passing rows surround the query.</summary>
    Correlated,

    /// <summary>On the class label, the class farthest from the query's first: passing rows avoid the query's neighbourhood.</summary>
    AntiCorrelated,

    /// <summary>
    /// No filter: the search is scoped to one namespace (tenant), whose records are a bucket range of the rows
    /// (<see cref="FilteredWorkload.NamespaceOf"/>): uncorrelated with the vectors.
    /// </summary>
    Namespace,
}

/// <summary>
/// One filter setting: a kind and a selectivity, and per query the rows that pass as (class mask, bucket limit): a
/// row passes when its label's bit is in the mask and its bucket is below the limit.
/// </summary>
internal sealed record FilterConfig(FilterKind Kind, double Selectivity, int[] Masks, int[] Limits)
{
    /// <summary>"uncorrelated 10%".</summary>
    public string Name => $"{Kind switch { FilterKind.Uncorrelated => "uncorrelated", FilterKind.Correlated => "label-correlated", FilterKind.Namespace => "namespace", _ => "anti-correlated" }} {Format.Percent(Selectivity).Replace(".0%", "%", StringComparison.Ordinal)}";

    /// <summary>For <see cref="FilterKind.Namespace"/>: the namespace searched (its rows: buckets in [<see cref="Lower"/>, limit)).</summary>
    public string? Namespace { get; init; }

    /// <summary>The smallest bucket that passes (0 except for namespaces).</summary>
    public int Lower { get; init; }

    /// <summary>The exact filtered top-10 of each query (row ids, -1 padded).</summary>
    public int[][] Truth { get; set; } = [];
}

/// <summary>
/// The data of the filtered benchmark: fashion-mnist-784, its class labels (Debian's dataset-fashion-mnist), the
/// bucket of each row, the filter settings and their exact answers.
/// </summary>
internal sealed class FilteredWorkload
{
    /// <summary>Where Debian's dataset-fashion-mnist installs the label files (see <c>dpkg -L dataset-fashion-mnist</c>).</summary>
    public const string LabelDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Fashion-MNIST's class names, by label.</summary>
    public static readonly string[] ClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FilteredWorkload(TexmexFile<float> vectors, TexmexFile<float> queries, byte[] baseLabels, byte[] queryLabels)
    {
        Base = vectors;
        Queries = queries;
        BaseLabels = baseLabels;
        QueryLabels = queryLabels;
    }

    /// <summary>The base vectors (row i = record id i).</summary>
    public TexmexFile<float> Base { get; }

    /// <summary>The queries used.</summary>
    public TexmexFile<float> Queries { get; }

    /// <summary>The class of each base row.</summary>
    public byte[] BaseLabels { get; }

    /// <summary>The class of each query.</summary>
    public byte[] QueryLabels { get; }

    /// <summary>The unfiltered exact top-10 of each query.</summary>
    public int[][] UnfilteredTruth { get; private set; } = [];

    /// <summary>The filter settings, in report order.</summary>
    public List<FilterConfig> Configs { get; } = [];

    /// <summary>The bucket of a row: a multiplicative hash, 0..999, the same in the peer script.</summary>
    public static int Bucket(int row) => (int)(unchecked((uint)row * 2654435761u) % 1000);

    /// <summary>Reads the data and the labels, and builds the filters for <paramref name="selectivities"/>.</summary>
    public static FilteredWorkload Load(string dataDirectory, int queryCount, IReadOnlyList<double> selectivities)
    {
        TexmexFile<float> vectors = TexmexFile<float>.Read(Path.Combine(dataDirectory, "base.fvecs"));
        TexmexFile<float> queries = TexmexFile<float>.Read(Path.Combine(dataDirectory, "query.fvecs")).Take(queryCount);
        byte[] baseLabels = ReadLabels(Path.Combine(LabelDirectory, "train-labels-idx1-ubyte.gz"));
        byte[] queryLabels = ReadLabels(Path.Combine(LabelDirectory, "t10k-labels-idx1-ubyte.gz"));
        if (baseLabels.Length != vectors.Count || queryLabels.Length < queryCount)
        {
            throw new InvalidDataException($"{baseLabels.Length} base labels for {vectors.Count} vectors, {queryLabels.Length} query labels for {queryCount} queries: the fvecs files are not Debian's fashion-mnist in order.");
        }
        var workload = new FilteredWorkload(vectors, queries, baseLabels, queryLabels[..queryCount]);
        workload.BuildConfigs(selectivities);
        return workload;
    }

    /// <summary>True when <paramref name="row"/> passes (mask, limit) with buckets from <paramref name="lower"/>.</summary>
    public bool Passes(int row, int mask, int limit, int lower = 0) => ((mask >> BaseLabels[row]) & 1) != 0 && Bucket(row) < limit && Bucket(row) >= lower;

    /// <summary>
    /// The tenants of the namespace case, as (name, first bucket, end bucket): 1%, 10% and 50% of the rows by bucket
    /// range; the other 39% stay in the default namespace.
    /// </summary>
    public static readonly (string Name, int Lower, int Upper)[] Tenants = [("tenant-1pct", 0, 10), ("tenant-10pct", 10, 110), ("tenant-50pct", 110, 610)];

    /// <summary>The namespace a row's record is written to (null: the default namespace).</summary>
    public static string? NamespaceOf(int row)
    {
        int bucket = Bucket(row);
        foreach ((string name, int lower, int upper) in Tenants)
        {
            if (bucket >= lower && bucket < upper)
            {
                return name;
            }
        }
        return null;
    }

    /// <summary>The engine's filter for (mask, limit): <c>label $in [...]</c> and/or <c>bucket $lt limit</c>.</summary>
    public static Filter ToFilter(int mask, int limit)
    {
        Filter? bucket = limit < 1000 ? Filter.Lt("bucket", limit) : null;
        if (mask == 0x3FF)
        {
            return bucket!;
        }
        var classes = new List<FilterValue>();
        for (int c = 0; c < 10; c++)
        {
            if (((mask >> c) & 1) != 0)
            {
                classes.Add(ClassNames[c]);
            }
        }
        Filter label = classes.Count == 1 ? Filter.Eq("label", classes[0]) : Filter.In("label", [.. classes]);
        return bucket is null ? label : label & bucket;
    }

    /// <summary>Computes every exact answer: all distances of each query once, then the top 10 under each filter.</summary>
    public void ComputeTruth()
    {
        int n = Base.Count;
        int queries = Queries.Count;
        UnfilteredTruth = new int[queries][];
        foreach (FilterConfig config in Configs)
        {
            config.Truth = new int[queries][];
        }
        Parallel.For(0, queries, q =>
        {
            var distances = new float[n];
            ReadOnlySpan<float> query = Queries.Row(q).Span;
            for (int row = 0; row < n; row++)
            {
                distances[row] = SquaredL2(query, Base.Row(row).Span);
            }
            UnfilteredTruth[q] = TopTen(distances, _ => true);
            foreach (FilterConfig config in Configs)
            {
                int mask = config.Masks[q], limit = config.Limits[q], lower = config.Lower;
                config.Truth[q] = TopTen(distances, row => Passes(row, mask, limit, lower));
            }
        });
    }

    /// <summary>Writes the spec file the peer script reads (see bench/peers/faiss_filtered_peer.py).</summary>
    public void WritePeerSpec(string path)
    {
        List<FilterConfig> configs = [.. Configs.Where(c => c.Kind != FilterKind.Namespace)]; // the peer has no namespaces
        var ints = new List<int> { Base.Count, Queries.Count, configs.Count };
        ints.AddRange(BaseLabels.Select(l => (int)l));
        foreach (FilterConfig config in configs)
        {
            byte[] name = Encoding.UTF8.GetBytes(config.Name);
            ints.Add(name.Length);
            var padded = new byte[(name.Length + 3) / 4 * 4];
            name.CopyTo(padded, 0);
            ints.AddRange(MemoryMarshal.Cast<byte, int>(padded).ToArray());
            for (int q = 0; q < Queries.Count; q++)
            {
                ints.Add(config.Masks[q]);
                ints.Add(config.Limits[q]);
            }
            foreach (int[] truth in config.Truth)
            {
                ints.AddRange(truth);
            }
        }
        File.WriteAllBytes(path, MemoryMarshal.AsBytes(ints.ToArray().AsSpan()).ToArray());
    }

    private void BuildConfigs(IReadOnlyList<double> selectivities)
    {
        int[][] nearestClasses = RankClasses();
        foreach (FilterKind kind in Enum.GetValues<FilterKind>())
        {
            if (kind == FilterKind.Namespace)
            {
                foreach ((string name, int lower, int upper) in Tenants)
                {
                    Configs.Add(new FilterConfig(kind, (upper - lower) / 1000.0, Enumerable.Repeat(0x3FF, Queries.Count).ToArray(), Enumerable.Repeat(upper, Queries.Count).ToArray())
                    {
                        Namespace = name,
                        Lower = lower,
                    });
                }
                continue;
            }
            foreach (double s in selectivities)
            {
                var masks = new int[Queries.Count];
                var limits = new int[Queries.Count];
                for (int q = 0; q < Queries.Count; q++)
                {
                    if (kind == FilterKind.Uncorrelated)
                    {
                        masks[q] = 0x3FF;
                        limits[q] = (int)Math.Round(s * 1000);
                        continue;
                    }
                    // Each class is 10% of the rows: whole classes down to 10%, then a bucket share of one class.
                    int[] ranking = nearestClasses[QueryLabels[q]];
                    if (kind == FilterKind.AntiCorrelated)
                    {
                        ranking = [.. ranking.Reverse()];
                    }
                    int classes = Math.Max(1, (int)Math.Round(s * 10));
                    for (int c = 0; c < classes; c++)
                    {
                        masks[q] |= 1 << ranking[c];
                    }
                    limits[q] = s >= 0.1 ? 1000 : (int)Math.Round(s * 10 * 1000);
                }
                Configs.Add(new FilterConfig(kind, s, masks, limits));
            }
        }
    }

    /// <summary>Per class, every class ordered by the distance between class centroids, itself first.</summary>
    private int[][] RankClasses()
    {
        int d = Base.Dimension;
        var centroids = new double[10, d];
        var counts = new int[10];
        for (int row = 0; row < Base.Count; row++)
        {
            int label = BaseLabels[row];
            counts[label]++;
            ReadOnlySpan<float> v = Base.Row(row).Span;
            for (int i = 0; i < d; i++)
            {
                centroids[label, i] += v[i];
            }
        }
        var ranking = new int[10][];
        for (int a = 0; a < 10; a++)
        {
            var distance = new double[10];
            for (int b = 0; b < 10; b++)
            {
                for (int i = 0; i < d; i++)
                {
                    double diff = (centroids[a, i] / counts[a]) - (centroids[b, i] / counts[b]);
                    distance[b] += diff * diff;
                }
            }
            ranking[a] = [.. Enumerable.Range(0, 10).OrderBy(b => distance[b])];
        }
        return ranking;
    }

    private static int[] TopTen(float[] distances, Func<int, bool> passes)
    {
        var heap = new PriorityQueue<int, float>(11, Comparer<float>.Create((x, y) => y.CompareTo(x)));
        for (int row = 0; row < distances.Length; row++)
        {
            if (!passes(row))
            {
                continue;
            }
            if (heap.Count < 10)
            {
                heap.Enqueue(row, distances[row]);
            }
            else if (heap.TryPeek(out _, out float worst) && distances[row] < worst)
            {
                heap.DequeueEnqueue(row, distances[row]);
            }
        }
        var top = Enumerable.Repeat(-1, 10).ToArray();
        int i = heap.Count;
        while (heap.Count > 0)
        {
            top[--i] = heap.Dequeue();
        }
        return top;
    }

    private static float SquaredL2(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> diff = new Vector<float>(a[i..]) - new Vector<float>(b[i..]);
            sum += diff * diff;
        }
        float total = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            float diff = a[i] - b[i];
            total += diff * diff;
        }
        return total;
    }

    private static byte[] ReadLabels(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No labels at {path}: install Debian's dataset-fashion-mnist (the peers' setup.sh does).", path);
        }
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        byte[] data = memory.ToArray();
        return data[8..]; // IDX1: magic (4 bytes), count (4 bytes), then one byte per item
    }
}
