using System.Text.Json.Nodes;

namespace VectLite.Server.Qdrant;

/// <summary>One point of a query's answer, its score already in Qdrant's meaning (see <see cref="Distances"/>).</summary>
internal readonly record struct ScoredPoint(RecordId Id, float Score, JsonObject? Payload, IReadOnlyDictionary<string, ReadOnlyMemory<float>>? Vectors);

/// <summary>
/// A query's answer, independent of the protocol: the REST endpoints write it as JSON (<see cref="PointWriter"/>), the
/// gRPC services as Qdrant's <c>ScoredPoint</c> messages. It carries what shapes each point: the schema (unnamed or
/// named vectors) and the client's payload and vector selectors.
/// </summary>
internal sealed record ScoredPoints(IReadOnlyList<ScoredPoint> Points, CollectionSchema Schema, PayloadSelector Payload, VectorSelector Vectors);
