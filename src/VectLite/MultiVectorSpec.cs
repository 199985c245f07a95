namespace VectLite;

/// <summary>
/// One named multi-vector space of a collection's schema (ColBERT-style late interaction; see
/// <see cref="CollectionSchema.AddMultiVector"/>): a record holds a matrix of token vectors, scored against a query's
/// token vectors by MaxSim.
/// </summary>
/// <param name="Name">The space's name: the naming rules of vectors; distinct from every other vector name of the schema.</param>
/// <param name="Dimension">The number of components of each token vector, 1 to <see cref="VectorSpec.MaxDimension"/>.</param>
/// <param name="Metric">The token similarity: <see cref="Metric.Cosine"/> or <see cref="Metric.Dot"/>.</param>
public sealed record MultiVectorSpec(string Name, int Dimension, Metric Metric)
{
    /// <summary>The most token vectors one record (or one query) may hold in a space.</summary>
    public const int MaxTokens = 4096;
}
