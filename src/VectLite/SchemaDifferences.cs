using System.Globalization;

namespace VectLite;

/// <summary>
/// What differs between a collection's stored schema and a schema a caller asks for, in words such as
/// <c>vector "default" dimension 8 (stored) vs 16 (requested)</c>, split into structural and runtime differences (see
/// <see cref="HnswOptions"/> for which settings are which).
/// </summary>
internal static class SchemaDifferences
{
    /// <summary>
    /// The structural differences: vectors (matched by name; declaration order does not matter, since records and
    /// searches name their vectors), their dimensions, metrics, quantization (kind and oversampling) and storage (RAM or disk), and <see cref="StructuralHnsw"/>. Empty when
    /// <paramref name="requested"/> describes the stored collection.
    /// </summary>
    public static List<string> Structural(CollectionSchema stored, CollectionSchema requested)
    {
        var differences = new List<string>();
        foreach (VectorSpec s in stored.Vectors)
        {
            int r = requested.FindVector(s.Name);
            if (r < 0)
            {
                differences.Add($"vector \"{s.Name}\" ({s.Dimension}-d {s.Metric}) is stored but not requested");
                continue;
            }
            VectorSpec q = requested.Vectors[r];
            if (q.Dimension != s.Dimension)
            {
                differences.Add(Differ($"vector \"{s.Name}\" dimension", s.Dimension, q.Dimension));
            }
            if (q.Metric != s.Metric)
            {
                differences.Add($"vector \"{s.Name}\" metric {s.Metric} (stored) vs {q.Metric} (requested)");
            }
            if (q.Quantization.Kind != s.Quantization.Kind)
            {
                differences.Add($"vector \"{s.Name}\" quantization {s.Quantization.Kind} (stored) vs {q.Quantization.Kind} (requested)");
            }
            if (q.Storage != s.Storage)
            {
                differences.Add($"vector \"{s.Name}\" storage {s.Storage} (stored) vs {q.Storage} (requested)");
            }
            if (q.Quantization.Oversampling != s.Quantization.Oversampling)
            {
                differences.Add(string.Create(CultureInfo.InvariantCulture,
                    $"vector \"{s.Name}\" quantization oversampling {s.Quantization.Oversampling} (stored) vs {q.Quantization.Oversampling} (requested)"));
            }
            if (q.Quantization.PqSubvectors != s.Quantization.PqSubvectors)
            {
                differences.Add(Differ($"vector \"{s.Name}\" PQ sub-vectors", s.Quantization.PqSubvectors, q.Quantization.PqSubvectors));
            }
        }
        foreach (VectorSpec q in requested.Vectors)
        {
            if (stored.FindVector(q.Name) < 0)
            {
                differences.Add($"vector \"{q.Name}\" ({q.Dimension}-d {q.Metric}) is requested but not stored");
            }
        }
        foreach (SparseVectorSpec s in stored.SparseVectors)
        {
            int r = requested.FindSparseVector(s.Name);
            if (r < 0)
            {
                differences.Add($"sparse vector \"{s.Name}\" is stored but not requested");
            }
            else if (requested.SparseVectors[r].Modifier != s.Modifier)
            {
                differences.Add($"sparse vector \"{s.Name}\" modifier {s.Modifier} (stored) vs {requested.SparseVectors[r].Modifier} (requested)");
            }
        }
        foreach (SparseVectorSpec q in requested.SparseVectors)
        {
            if (stored.FindSparseVector(q.Name) < 0)
            {
                differences.Add($"sparse vector \"{q.Name}\" is requested but not stored");
            }
        }
        foreach (MultiVectorSpec s in stored.MultiVectors)
        {
            int r = requested.FindMultiVector(s.Name);
            if (r < 0)
            {
                differences.Add($"multi-vector \"{s.Name}\" is stored but not requested");
            }
            else if (requested.MultiVectors[r] != s)
            {
                differences.Add($"multi-vector \"{s.Name}\" {s.Dimension}-d {s.Metric} (stored) vs {requested.MultiVectors[r].Dimension}-d {requested.MultiVectors[r].Metric} (requested)");
            }
        }
        foreach (MultiVectorSpec q in requested.MultiVectors)
        {
            if (stored.FindMultiVector(q.Name) < 0)
            {
                differences.Add($"multi-vector \"{q.Name}\" is requested but not stored");
            }
        }
        differences.AddRange(StructuralHnsw(stored.Hnsw, requested.Hnsw));
        return differences;
    }

    /// <summary>The HNSW settings the stored graphs depend on: <see cref="HnswOptions.M"/> and <see cref="HnswOptions.EfConstruction"/>.</summary>
    public static List<string> StructuralHnsw(HnswOptions stored, HnswOptions requested)
    {
        var differences = new List<string>();
        Add(differences, "hnsw.M", stored.M, requested.M);
        Add(differences, "hnsw.EfConstruction", stored.EfConstruction, requested.EfConstruction);
        return differences;
    }

    /// <summary>The HNSW settings that only change how the live collection behaves, and may differ from the stored ones.</summary>
    public static List<string> RuntimeHnsw(HnswOptions stored, HnswOptions requested)
    {
        var differences = new List<string>();
        Add(differences, "hnsw.EfSearch", stored.EfSearch, requested.EfSearch);
        Add(differences, "hnsw.MinIndexedVectors", stored.MinIndexedVectors, requested.MinIndexedVectors);
        Add(differences, "hnsw.ParallelInsertThreshold", stored.ParallelInsertThreshold, requested.ParallelInsertThreshold);
        Add(differences, "hnsw.MaxInsertThreads", stored.MaxInsertThreads, requested.MaxInsertThreads);
        Add(differences, "hnsw.TombstoneRebuildPercent", stored.TombstoneRebuildPercent, requested.TombstoneRebuildPercent);
        if (stored.ValueGraphs != requested.ValueGraphs)
        {
            differences.Add($"hnsw.ValueGraphs {stored.ValueGraphs} (stored) vs {requested.ValueGraphs} (requested)");
        }
        if (stored.BuildOnCodes != requested.BuildOnCodes)
        {
            differences.Add($"hnsw.BuildOnCodes {stored.BuildOnCodes} (stored) vs {requested.BuildOnCodes} (requested)");
        }
        if (stored.Indexing != requested.Indexing)
        {
            differences.Add($"hnsw.Indexing {stored.Indexing} (stored) vs {requested.Indexing} (requested)");
        }
        Add(differences, "hnsw.DeferredBatchSize", stored.DeferredBatchSize, requested.DeferredBatchSize);
        Add(differences, "hnsw.DeferredMaxLag", stored.DeferredMaxLag, requested.DeferredMaxLag);
        return differences;
    }

    private static void Add(List<string> differences, string setting, int stored, int requested)
    {
        if (stored != requested)
        {
            differences.Add(Differ(setting, stored, requested));
        }
    }

    private static string Differ(string what, int stored, int requested) =>
        string.Create(CultureInfo.InvariantCulture, $"{what} {stored} (stored) vs {requested} (requested)");
}
