using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant's unnamed vector and VectLite's named ones. A Qdrant collection created with a single
/// <c>{"size":..,"distance":..}</c> has one unnamed vector (name ""); VectLite names it
/// <see cref="CollectionSchema.DefaultVectorName"/>. A collection whose only vector has that name is therefore shown to
/// clients as unnamed, and the names "" and "default" both reach it.
/// </summary>
internal static class VectorNames
{
    /// <summary>True when the collection is shown with one unnamed vector.</summary>
    public static bool IsUnnamed(CollectionSchema schema) =>
        schema.Vectors.Count == 1 && string.Equals(schema.Vectors[0].Name, CollectionSchema.DefaultVectorName, StringComparison.Ordinal);

    /// <summary>The schema's vector for a Qdrant vector name (null or "" is the unnamed vector).</summary>
    /// <exception cref="QdrantException">The collection has no such vector (400, as Qdrant).</exception>
    public static VectorSpec Resolve(CollectionSchema schema, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (schema.Vectors.Count == 1)
            {
                return schema.Vectors[0];
            }
            throw QdrantException.BadRequest(schema.Vectors.Count == 0
                ? "the collection has no vectors"
                : $"the collection has named vectors ({string.Join(", ", schema.Vectors.Select(v => v.Name))}): name one with `using` or a named vector");
        }
        foreach (VectorSpec spec in schema.Vectors)
        {
            if (string.Equals(spec.Name, name, StringComparison.Ordinal))
            {
                return spec;
            }
        }
        throw QdrantException.BadRequest($"Not existing vector name error: {name}");
    }
}
