using VectLite.Indexing;
using VectLite.Storage;
using VectLite.Vectors;

namespace VectLite.Verification;

/// <summary>
/// Checks a saved HNSW graph file exactly as an open loads it (<see cref="Records.CollectionFiles.LoadGraphs"/>): magic,
/// version, parameters, stamp against the checkpoint manifest, checksum, every link and row, and the live node count.
/// Where an open would log the problem and rebuild the graph from the vectors, verify reports it as damage.
/// </summary>
internal static class GraphFileVerifier
{
    public static void Check(Stream stream, CheckpointManifest manifest, int ordinal, FileCheck check)
    {
        VectorSpec spec = manifest.Schema.Vectors[ordinal];
        HnswOptions options = manifest.Schema.Hnsw;
        var parameters = new HnswParameters(options.M, options.EfConstruction, options.EfSearch);
        int rows = (int)Math.Clamp(manifest.RecordCount, 0, int.MaxValue);

        // The loader bounds-checks node rows against the arena's capacity, so the arena needs that capacity; its
        // chunks are allocated but never written, so the operating system commits no memory for them.
        using var arena = new VectorArena(spec.Dimension);
        arena.EnsureCapacity(rows);
        stream.Position = 0;
        try
        {
            HnswGraph graph = HnswGraph.Load(stream, check.Path, arena, spec.Metric, parameters, manifest.GraphStamp);
            // Fewer is fine: a checkpoint taken while the deferred indexer was behind saves the rows it reached, and the
            // loader queues the rest again. More live nodes than rows cannot come from any checkpoint.
            if (graph.Count - graph.DeadCount > rows)
            {
                check.Damage(-1, $"it indexes {graph.Count - graph.DeadCount} live rows, the checkpoint has only {rows}");
            }
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex);
        }
    }

    /// <summary>
    /// The value graphs file, as <see cref="Records.CollectionFiles.LoadValueGraphs"/> reads it: header, stamp, every
    /// field's mark within the records, every graph checked as a saved graph is, and the checksum. Where an open would
    /// log the problem and build the graphs again, verify reports it as damage.
    /// </summary>
    public static void CheckValueGraphs(Stream stream, CheckpointManifest manifest, FileCheck check)
    {
        HnswOptions options = manifest.Schema.Hnsw;
        var parameters = new HnswParameters(options.M, options.EfConstruction, options.EfSearch);
        int rows = (int)Math.Clamp(manifest.RecordCount, 0, int.MaxValue);
        var arenas = new VectorArena?[manifest.Schema.Vectors.Count];
        stream.Position = 0;
        try
        {
            Indexing.ValueGraphs.ValueGraphFile.Read(stream, check.Path, arenas.Length, ordinal =>
            {
                VectorSpec spec = manifest.Schema.Vectors[ordinal];
                if (arenas[ordinal] is null)
                {
                    // As in Check: capacity for the bounds checks, never written, so no memory is committed.
                    arenas[ordinal] = new VectorArena(spec.Dimension);
                    arenas[ordinal]!.EnsureCapacity(rows);
                }
                return (arenas[ordinal]!, spec.Metric);
            }, parameters, manifest.GraphStamp, rows);
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex);
        }
        finally
        {
            foreach (VectorArena? arena in arenas)
            {
                arena?.Dispose();
            }
        }
    }

    /// <summary>
    /// A multi-vector space's token graph, as <see cref="Records.CollectionFiles.LoadTokenGraphs"/> loads it: the same
    /// checks, with the token count the manifest records in place of the record count.
    /// </summary>
    public static void CheckTokenGraph(Stream stream, CheckpointManifest manifest, int ordinal, FileCheck check)
    {
        MultiVectorSpec spec = manifest.Schema.MultiVectors[ordinal];
        HnswOptions options = manifest.Schema.Hnsw;
        var parameters = new HnswParameters(options.M, options.EfConstruction, options.EfSearch);
        int tokens = manifest.MultiVectorTokens[ordinal];
        using var arena = new VectorArena(spec.Dimension);
        arena.EnsureCapacity(tokens);
        stream.Position = 0;
        try
        {
            HnswGraph graph = HnswGraph.Load(stream, check.Path, arena, spec.Metric, parameters, manifest.GraphStamp);
            if (graph.Count - graph.DeadCount != tokens)
            {
                check.Damage(-1, $"it indexes {graph.Count - graph.DeadCount} live tokens, the checkpoint has {tokens}");
            }
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex);
        }
    }
}
