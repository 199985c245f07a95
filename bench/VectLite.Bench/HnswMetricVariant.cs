namespace VectLite.Bench;

/// <summary>One metric variant of the HNSW benchmark: which data, which VectLite metric, which peer metric.</summary>
/// <param name="Name">"l2" or "cosine": the option value and the SVG file suffix.</param>
/// <param name="Title">The report's heading for this variant.</param>
/// <param name="Metric">VectLite's metric.</param>
/// <param name="PeerMetric">The peer's <c>--metric</c> value.</param>
/// <param name="Normalized">True when base and query vectors are L2-normalised first (and the ground truth recomputed).</param>
internal sealed record HnswMetricVariant(string Name, string Title, Metric Metric, string PeerMetric, bool Normalized)
{
    /// <summary>L2 on the raw data with its own gt.ivecs.</summary>
    public static HnswMetricVariant L2 { get; } = new("l2", "L2 (raw data)", Metric.L2, "l2", Normalized: false);

    /// <summary>
    /// Cosine on the L2-normalised data: VectLite's <see cref="Metric.Cosine"/> against the peer's inner product on the
    /// same normalised vectors (the same ranking), with exact ground truth recomputed for them.
    /// </summary>
    public static HnswMetricVariant Cosine { get; } = new("cosine", "Cosine (L2-normalised data; the peer uses inner product)", Metric.Cosine, "ip", Normalized: true);

    /// <summary>The variants an <c>--metric</c> value selects: "l2", "cosine" or "both".</summary>
    /// <exception cref="ArgumentException">Any other value.</exception>
    public static IReadOnlyList<HnswMetricVariant> Parse(string value) => value switch
    {
        "l2" => [L2],
        "cosine" => [Cosine],
        "both" => [L2, Cosine],
        _ => throw new ArgumentException($"--metric: '{value}' is not l2, cosine or both.", nameof(value)),
    };
}
