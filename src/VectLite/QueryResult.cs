namespace VectLite;

/// <summary>What <see cref="Collection.Query"/> returns: the hits, and what each stage did.</summary>
/// <param name="Hits">The hits, best first, with their fused scores.</param>
/// <param name="Stages">Each stage in order (every prefetch, the fusion, MMR when asked, the threshold when set): its output size and time.</param>
public sealed record QueryResult(IReadOnlyList<SearchHit> Hits, IReadOnlyList<QueryStage> Stages);

/// <summary>One stage of a <see cref="HybridQuery"/>, for explaining and tuning it.</summary>
/// <param name="Name">What ran, e.g. <c>prefetch 0: dense 'title' (limit 50)</c>, <c>fusion ReciprocalRank(k=60)</c>, <c>mmr (lambda 0.7)</c>.</param>
/// <param name="Candidates">How many candidates the stage put out.</param>
/// <param name="Elapsed">How long it took.</param>
public sealed record QueryStage(string Name, int Candidates, TimeSpan Elapsed);
