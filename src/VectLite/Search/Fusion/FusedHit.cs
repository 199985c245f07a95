namespace VectLite.Search.Fusion;

/// <summary>A record after fusion: one of its hits (for id, namespace, payload, vectors) and its fused score.</summary>
internal readonly record struct FusedHit(SearchHit Hit, double Score);
