using System.Text.Json.Nodes;
using Google.Protobuf.Collections;
using VectLite.Server.Grpc.Messages;
using VectLite.Server.Http;
using VectLite.Server.Qdrant;
using ProtoVectors = VectLite.Server.Grpc.Messages.Vectors;
using ScoredPoint = VectLite.Server.Grpc.Messages.ScoredPoint;
using VectorReader = VectLite.Server.Qdrant.VectorInput;

namespace VectLite.Server.Grpc;

/// <summary>
/// Points between Qdrant's gRPC messages and VectLite records: ids (<see cref="PointIds"/>' rules), the vectors of an
/// upsert (checked and normalised by <see cref="VectorReader"/>, named by <see cref="VectorNames"/>), and the
/// <c>RetrievedPoint</c> and <c>ScoredPoint</c> answers, shaped by the client's payload and vector selectors exactly as
/// <see cref="PointWriter"/> shapes the REST ones.
/// </summary>
internal static class ProtoPoints
{
    /// <summary>A gRPC point id as a VectLite record id: a number, or a UUID in any spelling Qdrant accepts.</summary>
    public static RecordId ToRecordId(PointId? id) => id?.PointIdOptionsCase switch
    {
        PointId.PointIdOptionsOneofCase.Num => new RecordId(id.Num),
        PointId.PointIdOptionsOneofCase.Uuid => PointIds.ParseString(id.Uuid),
        _ => throw QdrantException.BadRequest("every point needs an `id` (`num` or `uuid`)"),
    };

    /// <summary>A record id as Qdrant returns it: a number, or the UUID (an embedded-API string id comes back as it is).</summary>
    public static PointId ToProto(RecordId id) => id.IsString ? new PointId { Uuid = id.AsString } : new PointId { Num = id.AsNumber };

    /// <summary>An upserted point as a record, its vectors checked against the schema before the engine sees them.</summary>
    public static Record ToRecord(PointStruct point, CollectionSchema schema)
    {
        var record = new Record(ToRecordId(point.Id)) { Payload = ProtoPayload.ToJson(point.Payload) };
        switch (point.Vectors?.VectorsOptionsCase)
        {
            case ProtoVectors.VectorsOptionsOneofCase.Vector:
                VectorSpec single = VectorNames.Resolve(schema, null);
                record.Vectors[single.Name] = Dense(point.Vectors.Vector, single);
                break;
            case ProtoVectors.VectorsOptionsOneofCase.Vectors_:
                foreach ((string name, Vector vector) in point.Vectors.Vectors_.Vectors)
                {
                    VectorSpec spec = VectorNames.Resolve(schema, name);
                    record.Vectors[spec.Name] = Dense(vector, spec);
                }
                break;
        }
        return record;
    }

#pragma warning disable CS0612 // Vector.data, .indices and .vectors_count are deprecated, but clients still send dense vectors in `data`.
    private static float[] Dense(Vector vector, VectorSpec spec)
    {
        switch (vector.VectorCase)
        {
            case Vector.VectorOneofCase.Dense:
                return VectorReader.ReadDense(Floats(vector.Dense.Data), spec);
            case Vector.VectorOneofCase.Sparse:
                throw QdrantException.Unsupported("a sparse vector ({indices, values})");
            case Vector.VectorOneofCase.MultiDense:
                throw QdrantException.Unsupported("a multi-vector (number[][])");
            case Vector.VectorOneofCase.None:
                if (vector.Indices is not null)
                {
                    throw QdrantException.Unsupported("a sparse vector ({indices, values})");
                }
                if (vector.HasVectorsCount)
                {
                    throw QdrantException.Unsupported("a multi-vector (number[][])");
                }
                return VectorReader.ReadDense(Floats(vector.Data), spec);
            default:
                throw QdrantException.Unsupported("inference (a document, image or object to embed)");
        }
    }

    /// <summary>
    /// The vectors a client asked for, as Qdrant's VectorsOutput: one unnamed vector, or named ones. Each dense vector is
    /// in both the current <c>dense</c> field and the deprecated <c>data</c> one, as Qdrant fills them, so older and
    /// newer clients both read it.
    /// </summary>
    private static VectorsOutput? Output(CollectionSchema schema, VectorSelector selector, IReadOnlyDictionary<string, ReadOnlyMemory<float>>? vectors)
    {
        if (!selector.Enabled || vectors is null)
        {
            return null;
        }
        bool unnamed = VectorNames.IsUnnamed(schema);
        if (unnamed)
        {
            foreach ((string name, ReadOnlyMemory<float> vector) in vectors)
            {
                if (selector.Wants(name, unnamed: true))
                {
                    return new VectorsOutput { Vector = OutputVector(vector) };
                }
            }
            return null;
        }
        var named = new NamedVectorsOutput();
        foreach ((string name, ReadOnlyMemory<float> vector) in vectors)
        {
            if (selector.Wants(name, unnamed: false))
            {
                named.Vectors[name] = OutputVector(vector);
            }
        }
        return new VectorsOutput { Vectors = named };
    }

    private static VectorOutput OutputVector(ReadOnlyMemory<float> vector)
    {
        var output = new VectorOutput { Dense = new DenseVector() };
        output.Dense.Data.AddRange(vector.ToArray());
        output.Data.AddRange(vector.ToArray());
        return output;
    }
#pragma warning restore CS0612

    /// <summary>A stored record as Qdrant's RetrievedPoint.</summary>
    public static RetrievedPoint Retrieved(Record record, RecordPage page)
    {
        var point = new RetrievedPoint { Id = ToProto(record.Id), Vectors = Output(page.Schema, page.Vectors, record.Vectors.Count == 0 ? null : record.Vectors) };
        Payload(point.Payload, record.Payload, page.Payload);
        return point;
    }

    /// <summary>A query's answer as Qdrant's ScoredPoints (version 0: VectLite keeps no per-point version).</summary>
    public static IEnumerable<ScoredPoint> Scored(ScoredPoints points) => points.Points.Select(hit =>
    {
        var point = new ScoredPoint { Id = ToProto(hit.Id), Score = hit.Score, Version = 0, Vectors = Output(points.Schema, points.Vectors, hit.Vectors) };
        Payload(point.Payload, hit.Payload, points.Payload);
        return point;
    });

    private static void Payload(MapField<string, Value> target, JsonObject? payload, PayloadSelector selector)
    {
        if (selector.Enabled)
        {
            ProtoPayload.Fill(target, selector.Select(payload));
        }
    }

    /// <summary>The floats of a repeated field as a span (a copy: RepeatedField exposes none).</summary>
    private static ReadOnlySpan<float> Floats(RepeatedField<float> values) => values.ToArray();
}
