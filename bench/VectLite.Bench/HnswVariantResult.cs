namespace VectLite.Bench;

/// <summary>Everything measured for one metric variant.</summary>
/// <param name="Variant">The metric variant.</param>
/// <param name="Preparation">Where its data and ground truth came from (for the report).</param>
/// <param name="Vectors">Base vectors.</param>
/// <param name="Dimension">Their dimension.</param>
/// <param name="Queries">Queries timed per ef.</param>
/// <param name="Summaries">One per build-thread count, in the order given.</param>
internal sealed record HnswVariantResult(HnswMetricVariant Variant, string Preparation, int Vectors, int Dimension, int Queries, IReadOnlyList<HnswThreadSummary> Summaries);
