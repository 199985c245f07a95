using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using Microsoft.Extensions.VectorData.ProviderServices;

namespace VectLite.VectorData;

/// <summary>
/// Builds the MEVD <see cref="CollectionModel"/> for a record type or a dynamic definition, and checks it against what
/// the engine can store, so every unsupported choice fails when the collection object is created, not mid-upsert.
/// </summary>
/// <remarks>
/// Beyond the base class's checks: key types are int, long, string or Guid; data types are those of
/// <see cref="VectLitePayloadCodec"/>; vector types are <see cref="ReadOnlyMemory{T}"/>, <see cref="Embedding{T}"/>
/// and arrays of <see cref="float"/> (or any type an embedding generator accepts); distance functions must have an
/// engine metric; index kinds are Hnsw (the default: the engine chooses between its HNSW graph and an exact scan per
/// query) and Flat (every search is an exact scan); vector storage names
/// follow the engine's naming rule; at most <see cref="CollectionSchema.MaxVectors"/> vectors.
/// <c>IsFullTextIndexed</c> on a string property gives it an engine text index (BM25), which hybrid search uses.
/// Single use and not thread-safe, like its base class.
/// </remarks>
internal sealed class VectLiteModelBuilder() : CollectionModelBuilder(s_options)
{
    /// <summary>The vector property types stored natively, for error messages.</summary>
    public const string SupportedVectorTypes = "ReadOnlyMemory<float>, Embedding<float>, float[]";

    private static readonly CollectionModelBuildingOptions s_options = new()
    {
        SupportsMultipleVectors = true,
        RequiresAtLeastOneVector = false,
    };

    /// <summary>Whether the property type is a vector type the engine stores directly (no embedding generation).</summary>
    public static bool IsNativeVectorType(Type type) =>
        type == typeof(ReadOnlyMemory<float>) || type == typeof(ReadOnlyMemory<float>?)
        || type == typeof(float[]) || type == typeof(Embedding<float>);

    /// <summary>
    /// Whether a payload field of this name can be named in a filter: the engine's filter paths split on '.' and
    /// reserve a leading '$' for operators.
    /// </summary>
    public static bool IsFilterableStorageName(string storageName) =>
        storageName.Length > 0 && storageName[0] != '$' && !storageName.Contains('.', StringComparison.Ordinal);

    /// <inheritdoc/>
    protected override bool IsDataPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = VectLitePayloadCodec.SupportedDataTypes;
        return VectLitePayloadCodec.IsSupported(type);
    }

    /// <inheritdoc/>
    protected override bool IsVectorPropertyTypeValid(Type type, [NotNullWhen(false)] out string? supportedTypes)
    {
        supportedTypes = SupportedVectorTypes;
        return IsNativeVectorType(type);
    }

    /// <inheritdoc/>
    protected override void ValidateKeyProperty(KeyPropertyModel keyProperty)
    {
        base.ValidateKeyProperty(keyProperty);
        if (!VectLiteKeyMapping.IsSupported(keyProperty.Type))
        {
            throw new NotSupportedException(
                $"Key property '{keyProperty.ModelName}' has type '{keyProperty.Type.Name}'; VectLite keys must be one of {VectLiteKeyMapping.SupportedKeyTypes}.");
        }
    }

    /// <inheritdoc/>
    protected override void Validate(Type? type, VectorStoreCollectionDefinition? definition)
    {
        base.Validate(type, definition);
        if (VectorProperties.Count > CollectionSchema.MaxVectors)
        {
            throw new NotSupportedException(
                $"The record has {VectorProperties.Count} vector properties; a VectLite collection holds at most {CollectionSchema.MaxVectors}.");
        }
    }

    /// <inheritdoc/>
    protected override void ValidateProperty(PropertyModel propertyModel, VectorStoreCollectionDefinition? definition)
    {
        base.ValidateProperty(propertyModel, definition);
        switch (propertyModel)
        {
            case VectorPropertyModel vector:
                ValidateVector(vector);
                break;
            case DataPropertyModel { IsIndexed: true } data when !IsFilterableStorageName(data.StorageName):
                throw new NotSupportedException(
                    $"Data property '{data.ModelName}' is indexed but stored as '{data.StorageName}', which a VectLite filter cannot name (no '.', no leading '$'). Give it another storage name.");
        }
    }

    private static void ValidateVector(VectorPropertyModel vector)
    {
        Metric metric = VectLiteDistanceMapping.ToMetric(vector.DistanceFunction, vector.ModelName);
        if (vector.IndexKind is not (null or IndexKind.Hnsw or IndexKind.Flat))
        {
            throw new NotSupportedException(
                $"Vector property '{vector.ModelName}' asks for index kind '{vector.IndexKind}'; VectLite supports Hnsw (its default) and Flat (exact search).");
        }
        if (vector.Dimensions > VectorSpec.MaxDimension)
        {
            throw new NotSupportedException(
                $"Vector property '{vector.ModelName}' has {vector.Dimensions} dimensions; VectLite supports at most {VectorSpec.MaxDimension}.");
        }
        try
        {
            // The engine's own check of its naming rule, applied now rather than at collection creation.
            new CollectionSchema().AddVector(vector.StorageName, vector.Dimensions, metric);
        }
        catch (InvalidNameException ex)
        {
            throw new NotSupportedException(
                $"Vector property '{vector.ModelName}' is stored as '{vector.StorageName}', which is not a valid VectLite vector name: {ex.Message} Set a StorageName of 1-64 letters, digits, '_', '-' or '.'.", ex);
        }
    }
}
