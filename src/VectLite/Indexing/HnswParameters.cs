namespace VectLite.Indexing;

/// <summary>
/// How one HNSW graph is built and searched: the link budget <see cref="M"/>, the build-time candidate
/// list <see cref="EfConstruction"/>, the default search-time candidate list <see cref="EfSearch"/> and
/// the <see cref="Seed"/> of the level assignment.
/// </summary>
/// <remarks>
/// The engine maps the public <c>HnswOptions</c> onto this. <c>default(HnswParameters)</c> is not valid
/// (M is 0); start from <see cref="Default"/>, <see cref="HighRecall"/> or <see cref="Fast"/>.
/// </remarks>
internal readonly record struct HnswParameters
{
    /// <summary>The smallest <see cref="M"/> accepted.</summary>
    internal const int MinM = 2;

    /// <summary>The largest <see cref="M"/> accepted: level 0 then holds 200 links per node.</summary>
    internal const int MaxM = 100;

    /// <summary>The largest <see cref="EfConstruction"/> and <see cref="EfSearch"/> accepted.</summary>
    internal const int MaxEf = 10_000;

    /// <summary>The smallest candidate list an automatic <see cref="EfSearch"/> picks.</summary>
    internal const int AutomaticEfFloor = 40;

    /// <summary>
    /// The seed of <see cref="Default"/>: any fixed value works; fixed so two builds of the same rows give
    /// every row the same level and a test or benchmark is reproducible.
    /// </summary>
    internal const ulong DefaultSeed = 0x5EED_4E53_5748_4C56;

    /// <summary>Creates the default parameters: M 16, ef_construction 200, automatic ef_search, the default seed.</summary>
    public HnswParameters()
        : this(16, 200, 0, DefaultSeed)
    {
    }

    /// <summary>Creates parameters from their values; call <see cref="Validate"/> before use.</summary>
    internal HnswParameters(int m, int efConstruction, int efSearch, ulong seed = DefaultSeed)
    {
        M = m;
        EfConstruction = efConstruction;
        EfSearch = efSearch;
        Seed = seed;
    }

    /// <summary>M 16, ef_construction 200, ef_search automatic.</summary>
    internal static HnswParameters Default => new();

    /// <summary>M 16, ef_construction 400, ef_search 200: slower, recall close to 1.</summary>
    internal static HnswParameters HighRecall => new(16, 400, 200);

    /// <summary>M 16, ef_construction 100, ef_search 40: faster build and search, lower recall.</summary>
    internal static HnswParameters Fast => new(16, 100, 40);

    /// <summary>Links per node on the upper levels, 2 to 100; level 0 holds up to 2M.</summary>
    internal int M { get; init; }

    /// <summary>The candidate list size while inserting: at least <see cref="M"/>, at most 10,000.</summary>
    internal int EfConstruction { get; init; }

    /// <summary>
    /// The candidate list size of a search that does not name one: 0 means automatic (the larger of 40 and
    /// 2k), otherwise 1 to 10,000. A search always uses at least k.
    /// </summary>
    internal int EfSearch { get; init; }

    /// <summary>The seed of the level assignment (levels are a hash of the seed and the row).</summary>
    internal ulong Seed { get; init; }

    /// <summary>The most links a node holds on level 0: 2M, as in hnswlib.</summary>
    internal int MaxLinks0 => 2 * M;

    /// <summary>
    /// Returns the candidate list size for a search of <paramref name="k"/> results that asked for
    /// <paramref name="ef"/> (0: use <see cref="EfSearch"/>, and if that is 0 too, the larger of 40 and 2k);
    /// never below <paramref name="k"/>.
    /// </summary>
    internal int EffectiveEf(int k, int ef)
    {
        int chosen = ef > 0 ? ef : EfSearch > 0 ? EfSearch : Math.Max(AutomaticEfFloor, 2 * k);
        return Math.Max(chosen, k);
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first invalid parameter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">M, EfConstruction or EfSearch is out of range.</exception>
    internal void Validate()
    {
        if (M is < MinM or > MaxM)
        {
            throw new ArgumentOutOfRangeException(nameof(M), M, $"HNSW M must be between {MinM} and {MaxM}.");
        }

        if (EfConstruction < M || EfConstruction > MaxEf)
        {
            throw new ArgumentOutOfRangeException(nameof(EfConstruction), EfConstruction, $"HNSW ef_construction must be between M ({M}) and {MaxEf:N0}.");
        }

        if (EfSearch is < 0 or > MaxEf)
        {
            throw new ArgumentOutOfRangeException(nameof(EfSearch), EfSearch, $"HNSW ef_search must be between 0 (automatic) and {MaxEf:N0}.");
        }
    }
}
