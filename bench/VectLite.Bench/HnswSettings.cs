namespace VectLite.Bench;

/// <summary>What one <c>hnsw</c> run measures: the graph parameters, the ef sweep, the queries, the build-thread variants.</summary>
/// <param name="M">HNSW M for both sides (links per node on the upper layers; level 0 gets 2M).</param>
/// <param name="EfConstruction">ef_construction for both sides.</param>
/// <param name="Efs">The search ef values, in the order given.</param>
/// <param name="Queries">Queries timed per ef (the first ones of query.fvecs), the same for both sides.</param>
/// <param name="Threads">Build-thread counts; each is a separate build on both sides.</param>
/// <param name="Metrics">The metric variants, in order.</param>
/// <param name="Rounds">Alternating peer/VectLite rounds per variant (medians are reported).</param>
/// <param name="SpanSearch">VectLite searches through the span overload (ids and scores into a reused buffer) instead of the
/// list overload (hit objects).</param>
/// <param name="DataName">The data set's name in the report's title and charts.</param>
internal sealed record HnswSettings(int M, int EfConstruction, IReadOnlyList<int> Efs, int Queries, IReadOnlyList<int> Threads, IReadOnlyList<HnswMetricVariant> Metrics, int Rounds,
    bool SpanSearch = false, string DataName = HnswSettings.DefaultDataName)
{
    /// <summary>The name of the default data set (what the peers' fashion_mnist.sh prepares).</summary>
    public const string DefaultDataName = "fashion-mnist-784";

    /// <summary>Neighbours per query: recall@10.</summary>
    public const int K = 10;

    /// <summary>Untimed VectLite queries before each ef's timed run (cycling through the query set), at the least.</summary>
    public const int WarmupQueries = 200;

    /// <summary>
    /// The least time the untimed queries before each ef's timed run take (they go on past <see cref="WarmupQueries"/>
    /// until it has passed). The runtime compiles a method's optimised code only after it has been called for a while
    /// (tiered compilation: a 100 ms delay after the last new method, then 30 calls, then a background compile), and 200
    /// queries at ef 10 take about 15 ms: the first ef's timed run then began in unoptimised code. The peer is compiled
    /// ahead of time and needs no warm-up; a database in an application runs warm.
    /// </summary>
    public static readonly TimeSpan WarmupTime = TimeSpan.FromSeconds(1);

    /// <summary>
    /// VectLite's <see cref="HnswOptions.ParallelInsertThreshold"/>: far below the one batch of the whole base set, so
    /// that batch goes to the graph as one parallel bulk insert.
    /// </summary>
    public const int ParallelInsertThreshold = 1_000;

    /// <summary>The recall levels at which the two sides' queries/s are compared.</summary>
    public static IReadOnlyList<double> TargetRecalls { get; } = [0.95, 0.99];
}
