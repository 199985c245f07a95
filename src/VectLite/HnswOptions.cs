namespace VectLite;

/// <summary>
/// How a collection's HNSW indexes are built and searched. Part of the <see cref="CollectionSchema"/>, persisted with
/// the collection. Start from a preset: <see cref="Default"/>, <see cref="HighRecall"/> or <see cref="Fast"/>.
/// </summary>
/// <remarks>
/// <para>Below <see cref="MinIndexedVectors"/> live vectors a collection answers every search by exact scan; past it the
/// index is built once and then kept current on every write, with no action from the caller. docs/tuning.md explains
/// each knob and its cost.</para>
/// <para>Two kinds of setting. <b>Structural</b> ones (<see cref="M"/>, <see cref="EfConstruction"/>) shape the stored
/// graphs: they are fixed when the collection is created, and <see cref="Database.GetOrCreateCollection"/> refuses a
/// schema that asks for other values. <b>Runtime</b> ones (<see cref="EfSearch"/>, <see cref="MinIndexedVectors"/>,
/// <see cref="ParallelInsertThreshold"/>, <see cref="MaxInsertThreads"/>, <see cref="TombstoneRebuildPercent"/>,
/// <see cref="Indexing"/>, <see cref="DeferredBatchSize"/>, <see cref="DeferredMaxLag"/>, <see cref="BuildOnCodes"/>,
/// <see cref="ValueGraphs"/>) only
/// change how the live collection behaves: they are stored with the collection and stay as stored until
/// <see cref="Collection.UpdateOptions"/> changes them (which persists the change); <see cref="Database.GetOrCreateCollection"/>
/// ignores differences in them.</para>
/// </remarks>
public sealed record HnswOptions
{
    /// <summary>M 16, ef_construction 200, ef_search automatic (the larger of 40 and 2 x (top-k + offset)).</summary>
    public static HnswOptions Default { get; } = new();

    /// <summary>M 16, ef_construction 400, ef_search 200: slower build and search, recall close to 1.</summary>
    public static HnswOptions HighRecall { get; } = new() { EfConstruction = 400, EfSearch = 200 };

    /// <summary>M 16, ef_construction 100, ef_search 40: faster build and search, lower recall.</summary>
    public static HnswOptions Fast { get; } = new() { EfConstruction = 100, EfSearch = 40 };

    /// <summary>Never build an index: every search is an exact (flat) scan. For small collections, or when exactness matters more than speed.</summary>
    public static HnswOptions Disabled { get; } = new() { MinIndexedVectors = int.MaxValue };

    /// <summary>
    /// Links per node on the upper layers, 2 to 100 (level 0 gets 2M). More: better recall, more memory, slower build.
    /// Default 16. Structural: the graph file's layout depends on it; fixed at creation.
    /// </summary>
    public int M { get; init; } = 16;

    /// <summary>
    /// Candidate list size while inserting, at least M. More: better graph, slower build. Default 200. Structural: a saved
    /// graph records the value it was built with and is used only under the same value; fixed at creation.
    /// </summary>
    public int EfConstruction { get; init; } = 200;

    /// <summary>
    /// Candidate list size while searching, 0 to 10,000; 0 picks it per query from top-k. <see cref="SearchOptions.Ef"/>
    /// overrides it per query. Default 0. Runtime: changed by <see cref="Collection.UpdateOptions"/>, for the next search.
    /// </summary>
    public int EfSearch { get; init; }

    /// <summary>
    /// Below this many stored vectors, searches scan exactly and no index is built. Default 128. Runtime: it decides when
    /// a collection without a graph builds one (<see cref="Collection.UpdateOptions"/> lowering it below the live count
    /// builds the graph at once); a graph that exists is kept and maintained whatever the value.
    /// </summary>
    public int MinIndexedVectors { get; init; } = 128;

    /// <summary>
    /// A batch of at least this many records is inserted into the graph by all cores in parallel. Default 1,000. Runtime:
    /// changed by <see cref="Collection.UpdateOptions"/>, for the next write.
    /// </summary>
    public int ParallelInsertThreshold { get; init; } = 1_000;

    /// <summary>Threads for parallel inserts; 0 means all cores. Default 0. Runtime: changed by <see cref="Collection.UpdateOptions"/>, for the next write.</summary>
    public int MaxInsertThreads { get; init; }

    /// <summary>
    /// At a checkpoint, a graph whose share of dead nodes (deleted or replaced records) has reached this percentage is
    /// rebuilt from the live vectors; below it the graph is kept and its dead nodes stay as navigation-only tombstones.
    /// 1 to 100; 100 disables rebuilds. Default 30. Runtime: changed by <see cref="Collection.UpdateOptions"/>, for the
    /// next checkpoint.
    /// </summary>
    public int TombstoneRebuildPercent { get; init; } = 30;

    /// <summary>
    /// When written vectors enter the graphs: <see cref="IndexingMode.Immediate"/> (default) inside each write, or
    /// <see cref="IndexingMode.Deferred"/> in a background indexer, with searches scanning the not-yet-indexed rows
    /// exactly meanwhile. Runtime: changed by <see cref="Collection.UpdateOptions"/>; switching to Immediate indexes
    /// the rows still queued before it returns.
    /// </summary>
    public IndexingMode Indexing { get; init; } = IndexingMode.Immediate;

    /// <summary>
    /// <see cref="IndexingMode.Deferred"/> only: the most rows the background indexer takes per pass, 1 to 1,000,000.
    /// A pass of at least <see cref="ParallelInsertThreshold"/> rows is inserted in parallel; a checkpoint waits for the
    /// pass in progress. Default 1,000. Runtime.
    /// </summary>
    public int DeferredBatchSize { get; init; } = 1_000;

    /// <summary>
    /// <see cref="IndexingMode.Deferred"/> only: when this many written rows are waiting for the indexer, the next write
    /// waits (before it is logged, holding the writer lock) until the indexer is below it again, which bounds the rows a
    /// search must scan exactly. 0 (default) never waits. At least <see cref="DeferredBatchSize"/> when set. Runtime.
    /// </summary>
    public int DeferredMaxLag { get; init; }

    /// <summary>
    /// Links new rows of a quantized vector by their decoded codes instead of their float32 vectors. Default false. Use it
    /// when the float32 vectors live on disk (<see cref="VectorStorage.Disk"/>, or <see cref="VectorStorage.Auto"/> with
    /// quantization) and outgrow the page cache: an insert compares a few thousand rows, each a random read of the
    /// vectors file, so a build would run at the disk's random-read rate; the codes are in RAM. Qdrant builds its graphs
    /// on quantized vectors the same way. SQ8, float16 and PQ codes are decoded and linked on; the graph's quality
    /// follows the codes' (measured in docs/tuning.md). Binary and RaBitQ vectors, vectors without codes yet (too few
    /// rows to train) and vectors without quantization are linked on float32 as before: one bit per dimension decodes
    /// rows of a cluster to near duplicates, slow to link and to walk.
    /// Runtime: changed by <see cref="Collection.UpdateOptions"/>, for the next write.
    /// </summary>
    public bool BuildOnCodes { get; init; }

    /// <summary>
    /// Lets filtered searches build and walk value graphs: for a payload field with a keyword index, an HNSW graph per
    /// value held by at least 2,048 records, over those records alone (Qdrant's payload-based subgraphs); likewise one per
    /// namespace. A search whose filter keeps only some values of such a field (<c>{"label": {"$in": [...]}}</c>, alone or
    /// in an <c>$and</c>), or that is scoped to one namespace, asks for them when it keeps fewer than 35% of the records
    /// or (a keyword filter) avoids the query's neighbourhood; a background thread builds them and keeps them current,
    /// and such searches walk them from then on instead of scanning every passing record. They cost about as much memory and build time as the collection's own
    /// graph for each field used this way; they live in memory only and are built again after a reopen, once a search
    /// asks. Default true. docs/tuning.md, "Value graphs", has the measurements.
    /// Runtime: changed by <see cref="Collection.UpdateOptions"/> (turning it off drops the graphs built).
    /// </summary>
    public bool ValueGraphs { get; init; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (M is < 2 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(M), M, "HNSW M must be between 2 and 100.");
        }
        if (EfConstruction < M || EfConstruction > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, $"HNSW ef_construction must be between M ({M}) and 10,000.");
        }
        if (EfSearch is < 0 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(EfSearch), EfSearch, "HNSW ef_search must be between 0 (automatic) and 10,000.");
        }
        if (MinIndexedVectors < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MinIndexedVectors), MinIndexedVectors, "MinIndexedVectors must not be negative.");
        }
        if (ParallelInsertThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ParallelInsertThreshold), ParallelInsertThreshold, "ParallelInsertThreshold must be at least 1.");
        }
        if (MaxInsertThreads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxInsertThreads), MaxInsertThreads, "MaxInsertThreads must be 0 (all cores) or more.");
        }
        if (!Enum.IsDefined(Indexing))
        {
            throw new ArgumentOutOfRangeException(nameof(Indexing), Indexing, "Indexing must be IndexingMode.Immediate or IndexingMode.Deferred.");
        }
        if (DeferredBatchSize is < 1 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(DeferredBatchSize), DeferredBatchSize, "DeferredBatchSize must be between 1 and 1,000,000.");
        }
        if (DeferredMaxLag < 0 || (DeferredMaxLag > 0 && DeferredMaxLag < DeferredBatchSize))
        {
            throw new ArgumentOutOfRangeException(nameof(DeferredMaxLag), DeferredMaxLag, $"DeferredMaxLag must be 0 (no limit) or at least DeferredBatchSize ({DeferredBatchSize}).");
        }
        if (TombstoneRebuildPercent is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(TombstoneRebuildPercent), TombstoneRebuildPercent, "TombstoneRebuildPercent must be between 1 and 100.");
        }
    }
}
