using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Reads the dense vectors of a Qdrant request (<c>number[]</c>, or <c>{name: number[]}</c>) and checks them against the
/// collection's schema before the engine sees them, so a wrong dimension is answered in Qdrant's words. Cosine vectors
/// are normalised to unit length here, as Qdrant does on insert: a client that reads a vector back sees what Qdrant
/// would return. Sparse vectors (<c>{indices, values}</c>) and multi-vectors (<c>number[][]</c>) are refused: the
/// engine has neither yet.
/// </summary>
internal static class VectorInput
{
    /// <summary>Reads one dense vector for <paramref name="spec"/>.</summary>
    public static float[] ReadDense(JsonElement value, VectorSpec spec)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            throw QdrantException.Unsupported("a sparse vector ({indices, values})");
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw QdrantException.BadRequest($"a vector must be an array of numbers, got {value.ValueKind}");
        }
        int length = value.GetArrayLength();
        if (length > 0 && value[0].ValueKind == JsonValueKind.Array)
        {
            throw QdrantException.Unsupported("a multi-vector (number[][])");
        }
        if (length != spec.Dimension)
        {
            throw QdrantException.BadRequest($"Vector dimension error: expected dim: {spec.Dimension}, got {length}");
        }
        var vector = new float[length];
        int i = 0;
        foreach (JsonElement component in value.EnumerateArray())
        {
            if (component.ValueKind != JsonValueKind.Number)
            {
                throw QdrantException.BadRequest($"a vector component must be a number, got {component.GetRawText()} at index {i}");
            }
            vector[i++] = component.GetSingle();
        }
        return Checked(vector, spec);
    }

    /// <summary>Reads one dense vector given as numbers (a gRPC <c>DenseVector</c>): the same checks as the JSON form.</summary>
    public static float[] ReadDense(ReadOnlySpan<float> value, VectorSpec spec)
    {
        if (value.Length != spec.Dimension)
        {
            throw QdrantException.BadRequest($"Vector dimension error: expected dim: {spec.Dimension}, got {value.Length}");
        }
        return Checked(value.ToArray(), spec);
    }

    private static float[] Checked(float[] vector, VectorSpec spec)
    {
        if (spec.Metric == Metric.Cosine)
        {
            Normalise(vector);
        }
        return vector;
    }

    /// <summary>
    /// Puts a point's vectors on <paramref name="record"/>: an array for the unnamed (single) vector, or an object of
    /// named vectors. A missing vector is left to the engine, which requires every named vector of the schema.
    /// </summary>
    public static void ReadPoint(JsonElement? vector, CollectionSchema schema, Record record)
    {
        if (vector is not { } value)
        {
            return;
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty named in value.EnumerateObject())
            {
                VectorSpec spec = VectorNames.Resolve(schema, named.Name);
                record.Vectors[spec.Name] = ReadDense(named.Value, spec);
            }
            return;
        }
        VectorSpec single = VectorNames.Resolve(schema, null);
        record.Vectors[single.Name] = ReadDense(value, single);
    }

    /// <summary>Scales to unit length in double precision (Qdrant's preprocessing for Cosine). A zero vector stays zero: the engine refuses it.</summary>
    private static void Normalise(float[] vector)
    {
        double sum = 0;
        foreach (float x in vector)
        {
            sum += (double)x * x;
        }
        if (sum == 0 || double.IsNaN(sum) || double.IsInfinity(sum))
        {
            return;
        }
        double inverse = 1.0 / Math.Sqrt(sum);
        for (int i = 0; i < vector.Length; i++)
        {
            vector[i] = (float)(vector[i] * inverse);
        }
    }
}
