using System.Diagnostics;
using System.Globalization;
using VectLite.Records;
using VectLite.Search;
using VectLite.Search.Fusion;

namespace VectLite;

/// <summary>Hybrid queries (<see cref="HybridQuery"/>): the routing; fusion and MMR live in Search/.</summary>
internal sealed partial class CollectionEngine
{
    /// <summary>Runs a <see cref="HybridQuery"/> on one snapshot: every prefetch, the fusion, MMR, the threshold.</summary>
    /// <exception cref="ArgumentException">The query has no prefetch, too many, or an option out of range (named).</exception>
    /// <exception cref="DimensionMismatchException">A prefetch's vector has the wrong length for its named vector.</exception>
    /// <exception cref="InvalidVectorException">A prefetch's vector holds NaN or infinity, or is all zeros under cosine.</exception>
    /// <exception cref="SchemaException">A vector name is missing where the collection has several, or unknown.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between stages.</exception>
    public QueryResult Query(HybridQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Prefetches is not { Count: > 0 and <= HybridQuery.MaxPrefetches })
        {
            throw new ArgumentException($"A hybrid query needs 1 to {HybridQuery.MaxPrefetches} prefetches; it has {query.Prefetches?.Count ?? 0}.", nameof(query));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(query.TopK, 1, "query.TopK");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.TopK, MaxSearchResults, "query.TopK");
        if (query.Mmr is { } mmrOptions)
        {
            if (!(mmrOptions.Lambda is >= 0f and <= 1f))
            {
                throw new ArgumentOutOfRangeException("query.Mmr.Lambda", mmrOptions.Lambda, "MMR's lambda must be in [0, 1].");
            }
            ArgumentOutOfRangeException.ThrowIfLessThan(mmrOptions.Candidates, query.TopK, "query.Mmr.Candidates");
        }
        NamespaceScope scope = ScopeOf(query.Namespace, query.AllNamespaces, nameof(HybridQuery));
        cancellationToken.ThrowIfCancellationRequested();

        ReadLease lease = AcquireState();
        CollectionState state = lease.State;
        try
        {
            // Everything is checked before any search runs: a bad prefetch is its typed error, not a partial result.
            var ordinals = new int[query.Prefetches.Count];
            var tokenQueries = new float[query.Prefetches.Count][][]; // the multi-vector prefetches' checked tokens
            for (int i = 0; i < ordinals.Length; i++)
            {
                Prefetch p = query.Prefetches[i] ?? throw new ArgumentException($"Prefetch {i} is null.", nameof(query));
                ArgumentOutOfRangeException.ThrowIfLessThan(p.Limit, 1, $"query.Prefetches[{i}].Limit");
                ArgumentOutOfRangeException.ThrowIfGreaterThan(p.Limit, MaxSearchResults, $"query.Prefetches[{i}].Limit");
                if (!(float.IsFinite(p.Weight) && p.Weight > 0))
                {
                    throw new ArgumentOutOfRangeException($"query.Prefetches[{i}].Weight", p.Weight, "A prefetch's weight must be positive and finite.");
                }
                if (p.TextIndex is not null)
                {
                    ResolveTextIndex(state, p.TextIndex);
                    ordinals[i] = -1;
                    continue;
                }
                if (p.MultiVectorQuery is { } tokens)
                {
                    ordinals[i] = state.Schema.FindMultiVector(p.VectorName!);
                    if (ordinals[i] < 0)
                    {
                        throw new SchemaException($"Collection '{Name}' has no multi-vector space named '{p.VectorName}' (it has: {state.Schema}).");
                    }
                    tokenQueries[i] = PrepareTokens(state.Multi[ordinals[i]].Spec, tokens);
                    continue;
                }
                if (p.SparseQuery is { } sparseQuery)
                {
                    ordinals[i] = ResolveSparseVector(state.Schema, p.VectorName!);
                    ValidateSparseVector(state.Schema.SparseVectors[ordinals[i]], sparseQuery);
                    continue;
                }
                ordinals[i] = ResolveVector(state.Schema, p.VectorName);
                ValidateVector(state.Schema.Vectors[ordinals[i]], p.Vector.Span);
            }
            string? mmrVector = query.Mmr is null ? null : state.Schema.Vectors[ResolveVector(state.Schema, query.Mmr.VectorName)].Name;

            Snapshot snapshot = state.Published;
            long now = DateTime.UtcNow.Ticks;
            var stages = new List<QueryStage>(query.Prefetches.Count + 3);
            var lists = new IReadOnlyList<SearchHit>[ordinals.Length];
            var weights = new float[ordinals.Length];
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < ordinals.Length; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Prefetch p = query.Prefetches[i];
                Filter? filter = (query.Filter, p.Filter) switch
                {
                    (null, var own) => own,
                    (var shared, null) => shared,
                    (var shared, var own) => Filter.And(shared, own),
                };
                if (p.TextIndex is not null)
                {
                    lists[i] = SearchTextIn(state, snapshot, now, ResolveTextIndex(state, p.TextIndex), scope, p.TextQuery!, p.Limit, filter,
                        query.IncludePayload, query.IncludeVectors || mmrVector is not null);
                    weights[i] = p.Weight;
                    stages.Add(new QueryStage(string.Create(CultureInfo.InvariantCulture,
                        $"prefetch {i}: text '{p.TextIndex}' (limit {p.Limit}{(filter is null ? "" : ", filtered")})"), lists[i].Count, Lap(watch)));
                    continue;
                }
                var options = new SearchOptions
                {
                    TopK = p.Limit,
                    Filter = filter,
                    Ef = p.Ef,
                    Exact = p.Exact,
                    IncludePayload = query.IncludePayload,
                    IncludeVectors = query.IncludeVectors || mmrVector is not null,
                };
                if (tokenQueries[i] is { } tokenQuery)
                {
                    lists[i] = SearchMultiVectorIn(state, snapshot, now, ordinals[i], scope, tokenQuery, options);
                    weights[i] = p.Weight;
                    stages.Add(new QueryStage(string.Create(CultureInfo.InvariantCulture,
                        $"prefetch {i}: multi-vector '{state.Schema.MultiVectors[ordinals[i]].Name}' (limit {p.Limit}{(filter is null ? "" : ", filtered")})"), lists[i].Count, Lap(watch)));
                    continue;
                }
                bool sparse = p.SparseQuery is not null;
                lists[i] = sparse
                    ? SearchSparseIn(state, snapshot, now, ordinals[i], scope, p.SparseQuery!, options)
                    : SearchIn(state, snapshot, now, ordinals[i], scope, p.Vector.Span, options, excludedRow: -1);
                weights[i] = p.Weight;
                stages.Add(new QueryStage(string.Create(CultureInfo.InvariantCulture,
                    $"prefetch {i}: {(sparse ? "sparse" : "dense")} '{(sparse ? state.Schema.SparseVectors[ordinals[i]].Name : state.Schema.Vectors[ordinals[i]].Name)}' (limit {p.Limit}{(filter is null ? "" : ", filtered")})"), lists[i].Count, Lap(watch)));
            }

            List<FusedHit> fused = ScoreFusion.Fuse(lists, weights, query.Fusion);
            stages.Add(new QueryStage($"fusion {query.Fusion}", fused.Count, Lap(watch)));

            if (query.Mmr is { } mmr)
            {
                cancellationToken.ThrowIfCancellationRequested();
                List<FusedHit> pool = fused.Count > mmr.Candidates ? fused.GetRange(0, mmr.Candidates) : fused;
                fused = MaximalMarginalRelevance.Select(pool, query.TopK, mmr.Lambda, mmrVector!);
                stages.Add(new QueryStage(string.Create(CultureInfo.InvariantCulture, $"mmr (lambda {mmr.Lambda}, from {pool.Count} candidates)"), fused.Count, Lap(watch)));
            }

            var hits = new List<SearchHit>(Math.Min(query.TopK, fused.Count));
            foreach (FusedHit f in fused)
            {
                if (hits.Count == query.TopK || (query.ScoreThreshold is { } threshold && f.Score < threshold && query.Mmr is null))
                {
                    break; // fused order is best first (MMR's pick order is not: it is filtered below)
                }
                if (query.ScoreThreshold is { } t && f.Score < t)
                {
                    continue;
                }
                SearchHit h = f.Hit;
                hits.Add(h.WithScore((float)f.Score, query.IncludePayload, query.IncludeVectors)); // the payload stays unmade until read
            }
            if (query.ScoreThreshold is { } cut)
            {
                stages.Add(new QueryStage(string.Create(CultureInfo.InvariantCulture, $"threshold {cut}"), hits.Count, Lap(watch)));
            }
            return new QueryResult(hits, stages);
        }
        finally
        {
            lease.Release();
        }
    }

    private static TimeSpan Lap(Stopwatch watch)
    {
        TimeSpan elapsed = watch.Elapsed;
        watch.Restart();
        return elapsed;
    }
}
