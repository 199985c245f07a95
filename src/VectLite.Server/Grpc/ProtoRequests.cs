using System.Buffers;
using System.Text.Json;
using VectLite.Server.Grpc.Messages;
using VectLite.Server.Http;
using ProtoFilter = VectLite.Server.Grpc.Messages.Filter;
using ProtoQuery = VectLite.Server.Grpc.Messages.Query;

namespace VectLite.Server.Grpc;

/// <summary>
/// Reads gRPC requests into the REST request bodies they correspond to, so both protocols go through one translation
/// layer (<see cref="Qdrant.FilterTranslator"/>, <see cref="Qdrant.QueryRequest"/>, <see cref="Qdrant.FusionQuery"/>,
/// <see cref="Qdrant.ScrollRunner"/>, <see cref="Qdrant.PointsSelector"/>, <see cref="Qdrant.CollectionConfig"/>) with
/// the same defaults, limits, refusals and messages. Qdrant's own gRPC and REST APIs are two spellings of one model;
/// this is the mapping between them (field by field, as Qdrant's OpenAPI and protos name them).
/// </summary>
/// <remarks>
/// A proto field that is not set is left out of the JSON, so the REST default applies (proto3 has no null; the protos
/// mark optional scalars <c>optional</c>). A gRPC feature VectLite does not have is written as the REST field that the
/// shared reader already refuses by name, or refused here when REST has no such field.
/// </remarks>
internal static class ProtoRequests
{
    /// <summary>A create-collection request: <c>vectors</c> (with <c>on_disk</c>), <c>hnsw_config</c>, and the refused sparse/quantization settings.</summary>
    public static JsonElement CreateCollection(CreateCollection request) => Build(w =>
    {
        w.WriteStartObject();
        if (request.VectorsConfig is { } vectors)
        {
            w.WritePropertyName("vectors");
            switch (vectors.ConfigCase)
            {
                case VectorsConfig.ConfigOneofCase.Params:
                    WriteVectorParams(w, vectors.Params);
                    break;
                case VectorsConfig.ConfigOneofCase.ParamsMap:
                    w.WriteStartObject();
                    foreach ((string name, VectorParams parameters) in vectors.ParamsMap.Map)
                    {
                        w.WritePropertyName(name);
                        WriteVectorParams(w, parameters);
                    }
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteStartObject();
                    w.WriteEndObject();
                    break;
            }
        }
        if (request.HnswConfig is { } hnsw)
        {
            w.WriteStartObject("hnsw_config");
            if (hnsw.HasM)
            {
                w.WriteNumber("m", hnsw.M);
            }
            if (hnsw.HasEfConstruct)
            {
                w.WriteNumber("ef_construct", hnsw.EfConstruct);
            }
            w.WriteEndObject();
        }
        if (request.SparseVectorsConfig is { Map.Count: > 0 })
        {
            w.WriteStartObject("sparse_vectors");
            foreach (string name in request.SparseVectorsConfig.Map.Keys)
            {
                w.WriteStartObject(name);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (request.QuantizationConfig is not null)
        {
            w.WriteStartObject("quantization_config");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    private static void WriteVectorParams(Utf8JsonWriter w, VectorParams parameters)
    {
        w.WriteStartObject();
        w.WriteNumber("size", parameters.Size);
        if (parameters.Distance != Distance.UnknownDistance)
        {
            w.WriteString("distance", parameters.Distance.ToString());
        }
#pragma warning disable CS0612 // on_disk is deprecated in Qdrant's proto (for `memory`), yet clients still send it
        if (parameters.HasOnDisk)
        {
            w.WriteBoolean("on_disk", parameters.OnDisk);
        }
#pragma warning restore CS0612
        if (parameters.MultivectorConfig is not null)
        {
            w.WriteStartObject("multivector_config");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A <c>points/query</c> body.</summary>
    public static JsonElement Query(QueryPoints request) => Build(w =>
    {
        w.WriteStartObject();
        if (request.Prefetch.Count > 0)
        {
            w.WriteStartArray("prefetch");
            foreach (PrefetchQuery prefetch in request.Prefetch)
            {
                WritePrefetch(w, prefetch);
            }
            w.WriteEndArray();
        }
        if (request.Query is ProtoQuery query)
        {
            w.WritePropertyName("query");
            WriteQuery(w, query);
        }
        if (request.HasUsing)
        {
            w.WriteString("using", request.Using);
        }
        WriteFilter(w, "filter", request.Filter);
        WriteParams(w, request.Params);
        if (request.HasScoreThreshold)
        {
            w.WriteNumber("score_threshold", request.ScoreThreshold);
        }
        if (request.HasLimit)
        {
            w.WriteNumber("limit", request.Limit);
        }
        if (request.HasOffset)
        {
            w.WriteNumber("offset", request.Offset);
        }
        WriteVectorsSelector(w, request.WithVectors);
        WritePayloadSelector(w, request.WithPayload);
        if (request.LookupFrom is not null)
        {
            w.WriteStartObject("lookup_from");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    private static void WritePrefetch(Utf8JsonWriter w, PrefetchQuery prefetch)
    {
        w.WriteStartObject();
        if (prefetch.Prefetch.Count > 0)
        {
            w.WriteStartArray("prefetch");
            foreach (PrefetchQuery nested in prefetch.Prefetch)
            {
                WritePrefetch(w, nested);
            }
            w.WriteEndArray();
        }
        if (prefetch.Query is ProtoQuery query)
        {
            w.WritePropertyName("query");
            WriteQuery(w, query);
        }
        if (prefetch.HasUsing)
        {
            w.WriteString("using", prefetch.Using);
        }
        WriteFilter(w, "filter", prefetch.Filter);
        WriteParams(w, prefetch.Params);
        if (prefetch.HasScoreThreshold)
        {
            w.WriteNumber("score_threshold", prefetch.ScoreThreshold);
        }
        if (prefetch.HasLimit)
        {
            w.WriteNumber("limit", prefetch.Limit);
        }
        if (prefetch.LookupFrom is not null)
        {
            w.WriteStartObject("lookup_from");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>Qdrant's Query variants in their REST spelling; those VectLite lacks are refused with their REST names.</summary>
    private static void WriteQuery(Utf8JsonWriter w, ProtoQuery query)
    {
        switch (query.VariantCase)
        {
            case ProtoQuery.VariantOneofCase.Nearest:
                w.WriteStartObject();
                w.WritePropertyName("nearest");
                WriteVectorInput(w, query.Nearest);
                w.WriteEndObject();
                break;
            case ProtoQuery.VariantOneofCase.Fusion:
                w.WriteStartObject();
                w.WriteString("fusion", query.Fusion == Fusion.Dbsf ? "dbsf" : "rrf");
                w.WriteEndObject();
                break;
            case ProtoQuery.VariantOneofCase.Rrf:
                w.WriteStartObject();
                w.WriteStartObject("rrf");
                if (query.Rrf.HasK)
                {
                    w.WriteNumber("k", query.Rrf.K);
                }
                if (query.Rrf.Weights.Count > 0)
                {
                    w.WriteStartArray("weights");
                    foreach (float weight in query.Rrf.Weights)
                    {
                        w.WriteNumberValue(weight);
                    }
                    w.WriteEndArray();
                }
                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case ProtoQuery.VariantOneofCase.NearestWithMmr:
                throw QdrantException.Unsupported("MMR (`nearest` with `mmr`)");
            case ProtoQuery.VariantOneofCase.None:
                throw QdrantException.BadRequest("`query` is set but holds no query");
            default:
                throw QdrantException.Unsupported($"the `{RestName(query.VariantCase)}` query");
        }
    }

    private static string RestName(ProtoQuery.VariantOneofCase variant) => variant switch
    {
        ProtoQuery.VariantOneofCase.OrderBy => "order_by",
        ProtoQuery.VariantOneofCase.RelevanceFeedback => "relevance_feedback",
        _ => variant.ToString().ToLowerInvariant(),
    };

    private static void WriteVectorInput(Utf8JsonWriter w, VectorInput input)
    {
        switch (input.VariantCase)
        {
            case VectorInput.VariantOneofCase.Id:
                WritePointId(w, input.Id);
                break;
            case VectorInput.VariantOneofCase.Dense:
                WriteFloats(w, input.Dense.Data);
                break;
            case VectorInput.VariantOneofCase.Sparse:
                throw QdrantException.Unsupported("a sparse query vector");
            case VectorInput.VariantOneofCase.MultiDense:
                throw QdrantException.Unsupported("a multi-vector (number[][])");
            case VectorInput.VariantOneofCase.None:
                throw QdrantException.BadRequest("`nearest` holds no vector");
            default:
                throw QdrantException.Unsupported("inference (a document, image or object to embed)");
        }
    }

    /// <summary>A legacy <c>points/search</c> body.</summary>
    public static JsonElement Search(SearchPoints request) => Build(w =>
    {
        if (request.SparseIndices is not null)
        {
            throw QdrantException.Unsupported("a sparse query vector");
        }
        w.WriteStartObject();
        if (request.HasVectorName)
        {
            w.WriteStartObject("vector");
            w.WriteString("name", request.VectorName);
            w.WritePropertyName("vector");
            WriteFloats(w, request.Vector);
            w.WriteEndObject();
        }
        else
        {
            w.WritePropertyName("vector");
            WriteFloats(w, request.Vector);
        }
        WriteFilter(w, "filter", request.Filter);
        // Required in the proto, so always set: 0 is refused as in Qdrant ("limit" must be at least 1).
        w.WriteNumber("limit", request.Limit);
        if (request.HasOffset)
        {
            w.WriteNumber("offset", request.Offset);
        }
        WriteParams(w, request.Params);
        if (request.HasScoreThreshold)
        {
            w.WriteNumber("score_threshold", request.ScoreThreshold);
        }
        WritePayloadSelector(w, request.WithPayload);
        WriteVectorsSelector(w, request.WithVectors);
        w.WriteEndObject();
    });

    /// <summary>A scroll body.</summary>
    public static JsonElement Scroll(ScrollPoints request) => Build(w =>
    {
        w.WriteStartObject();
        WriteFilter(w, "filter", request.Filter);
        if (request.Offset is { } offset)
        {
            w.WritePropertyName("offset");
            WritePointId(w, offset);
        }
        if (request.HasLimit)
        {
            w.WriteNumber("limit", request.Limit);
        }
        WritePayloadSelector(w, request.WithPayload);
        WriteVectorsSelector(w, request.WithVectors);
        if (request.OrderBy is not null)
        {
            w.WriteStartObject("order_by");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    });

    /// <summary>A retrieve body.</summary>
    public static JsonElement Get(GetPoints request) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteStartArray("ids");
        foreach (PointId id in request.Ids)
        {
            WritePointId(w, id);
        }
        w.WriteEndArray();
        WritePayloadSelector(w, request.WithPayload);
        WriteVectorsSelector(w, request.WithVectors);
        w.WriteEndObject();
    });

    /// <summary>A body holding only <c>filter</c> (count).</summary>
    public static JsonElement FilterOnly(ProtoFilter? filter) => Build(w =>
    {
        w.WriteStartObject();
        WriteFilter(w, "filter", filter);
        w.WriteEndObject();
    });

    /// <summary>A points selector body: <c>{points}</c> or <c>{filter}</c> (neither: the shared reader says one is required).</summary>
    public static JsonElement Selector(PointsSelector? selector) => Build(w =>
    {
        w.WriteStartObject();
        switch (selector?.PointsSelectorOneOfCase)
        {
            case PointsSelector.PointsSelectorOneOfOneofCase.Points:
                w.WriteStartArray("points");
                foreach (PointId id in selector.Points.Ids)
                {
                    WritePointId(w, id);
                }
                w.WriteEndArray();
                break;
            case PointsSelector.PointsSelectorOneOfOneofCase.Filter:
                // An empty filter selects every point, as in Qdrant: always written, even with no conditions.
                WriteFilter(w, "filter", selector.Filter, always: true);
                break;
        }
        w.WriteEndObject();
    });

    /// <summary>Qdrant's <c>FieldType</c> as the REST field schema name.</summary>
    public static string? FieldSchema(CreateFieldIndexCollection request) => !request.HasFieldType ? null : request.FieldType switch
    {
        FieldType.Keyword => "keyword",
        FieldType.Integer => "integer",
        FieldType.Float => "float",
        FieldType.Geo => "geo",
        FieldType.Text => "text",
        FieldType.Bool => "bool",
        FieldType.Datetime => "datetime",
        FieldType.Uuid => "uuid",
        _ => throw QdrantException.BadRequest($"unknown field type {request.FieldType}"),
    };

    private static void WriteParams(Utf8JsonWriter w, SearchParams? parameters)
    {
        if (parameters is null)
        {
            return;
        }
        w.WriteStartObject("params");
        if (parameters.HasHnswEf)
        {
            w.WriteNumber("hnsw_ef", parameters.HnswEf);
        }
        if (parameters.HasExact)
        {
            w.WriteBoolean("exact", parameters.Exact);
        }
        if (parameters.Quantization is not null)
        {
            w.WriteStartObject("quantization");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WritePayloadSelector(Utf8JsonWriter w, WithPayloadSelector? selector)
    {
        switch (selector?.SelectorOptionsCase)
        {
            case WithPayloadSelector.SelectorOptionsOneofCase.Enable:
                w.WriteBoolean("with_payload", selector.Enable);
                break;
            case WithPayloadSelector.SelectorOptionsOneofCase.Include:
                w.WriteStartObject("with_payload");
                WriteStrings(w, "include", selector.Include.Fields);
                w.WriteEndObject();
                break;
            case WithPayloadSelector.SelectorOptionsOneofCase.Exclude:
                w.WriteStartObject("with_payload");
                WriteStrings(w, "exclude", selector.Exclude.Fields);
                w.WriteEndObject();
                break;
        }
    }

    private static void WriteVectorsSelector(Utf8JsonWriter w, WithVectorsSelector? selector)
    {
        switch (selector?.SelectorOptionsCase)
        {
            case WithVectorsSelector.SelectorOptionsOneofCase.Enable:
                w.WriteBoolean("with_vector", selector.Enable);
                break;
            case WithVectorsSelector.SelectorOptionsOneofCase.Include:
                WriteStrings(w, "with_vector", selector.Include.Names);
                break;
        }
    }

    /// <summary>
    /// A Qdrant filter in its REST spelling. A message the client did not set is no filter; an empty one imposes nothing
    /// (the translator drops it) unless <paramref name="always"/> asks for it to be written anyway.
    /// </summary>
    private static void WriteFilter(Utf8JsonWriter w, string property, ProtoFilter? filter, bool always = false)
    {
        if (filter is null)
        {
            if (always)
            {
                w.WriteStartObject(property);
                w.WriteEndObject();
            }
            return;
        }
        w.WritePropertyName(property);
        WriteFilter(w, filter);
    }

    private static void WriteFilter(Utf8JsonWriter w, ProtoFilter filter)
    {
        w.WriteStartObject();
        WriteConditions(w, "must", filter.Must);
        WriteConditions(w, "should", filter.Should);
        WriteConditions(w, "must_not", filter.MustNot);
        if (filter.MinShould is not null)
        {
            w.WriteStartObject("min_should");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteConditions(Utf8JsonWriter w, string clause, IEnumerable<Condition> conditions)
    {
        w.WriteStartArray(clause);
        foreach (Condition condition in conditions)
        {
            WriteCondition(w, condition);
        }
        w.WriteEndArray();
    }

    private static void WriteCondition(Utf8JsonWriter w, Condition condition)
    {
        switch (condition.ConditionOneOfCase)
        {
            case Condition.ConditionOneOfOneofCase.Field:
                WriteField(w, condition.Field);
                return;
            case Condition.ConditionOneOfOneofCase.Filter:
                WriteFilter(w, condition.Filter);
                return;
            case Condition.ConditionOneOfOneofCase.IsEmpty:
                WriteKeyed(w, "is_empty", condition.IsEmpty.Key);
                return;
            case Condition.ConditionOneOfOneofCase.IsNull:
                WriteKeyed(w, "is_null", condition.IsNull.Key);
                return;
            case Condition.ConditionOneOfOneofCase.HasId:
                throw QdrantException.Unsupported("the `has_id` condition");
            case Condition.ConditionOneOfOneofCase.Nested:
                throw QdrantException.Unsupported("the `nested` condition");
            case Condition.ConditionOneOfOneofCase.HasVector:
                throw QdrantException.Unsupported("the `has_vector` condition");
            case Condition.ConditionOneOfOneofCase.None:
                throw QdrantException.BadRequest("a filter condition is empty");
            default:
                throw QdrantException.Unsupported($"the `{condition.ConditionOneOfCase.ToString().ToLowerInvariant()}` condition");
        }
    }

    private static void WriteKeyed(Utf8JsonWriter w, string condition, string key)
    {
        w.WriteStartObject();
        w.WriteStartObject(condition);
        w.WriteString("key", key);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteField(Utf8JsonWriter w, FieldCondition field)
    {
        if (field.DatetimeRange is not null)
        {
            throw QdrantException.Unsupported("a datetime range");
        }
        w.WriteStartObject();
        w.WriteString("key", field.Key);
        if (field.Match is { } match)
        {
            w.WritePropertyName("match");
            WriteMatch(w, match);
        }
        if (field.Range is { } range)
        {
            w.WriteStartObject("range");
            if (range.HasGt)
            {
                w.WriteNumber("gt", range.Gt);
            }
            if (range.HasGte)
            {
                w.WriteNumber("gte", range.Gte);
            }
            if (range.HasLt)
            {
                w.WriteNumber("lt", range.Lt);
            }
            if (range.HasLte)
            {
                w.WriteNumber("lte", range.Lte);
            }
            w.WriteEndObject();
        }
        if (field.ValuesCount is not null)
        {
            w.WriteStartObject("values_count");
            w.WriteEndObject();
        }
        foreach ((string name, object? set) in (ReadOnlySpan<(string, object?)>)[("geo_bounding_box", field.GeoBoundingBox), ("geo_radius", field.GeoRadius), ("geo_polygon", field.GeoPolygon)])
        {
            if (set is not null)
            {
                w.WriteStartObject(name);
                w.WriteEndObject();
            }
        }
        if (field.HasIsEmpty)
        {
            w.WriteBoolean("is_empty", field.IsEmpty);
        }
        if (field.HasIsNull)
        {
            w.WriteBoolean("is_null", field.IsNull);
        }
        w.WriteEndObject();
    }

    private static void WriteMatch(Utf8JsonWriter w, Match match)
    {
        w.WriteStartObject();
        switch (match.MatchValueCase)
        {
            case Match.MatchValueOneofCase.Keyword:
                w.WriteString("value", match.Keyword);
                break;
            case Match.MatchValueOneofCase.Integer:
                w.WriteNumber("value", match.Integer);
                break;
            case Match.MatchValueOneofCase.Boolean:
                w.WriteBoolean("value", match.Boolean);
                break;
            case Match.MatchValueOneofCase.Text:
                w.WriteString("text", match.Text);
                break;
            case Match.MatchValueOneofCase.Substring:
                // Qdrant's substring match is what `text` does without a full-text index, and what VectLite's $contains does.
                w.WriteString("text", match.Substring);
                break;
            case Match.MatchValueOneofCase.Keywords:
                WriteStrings(w, "any", match.Keywords.Strings);
                break;
            case Match.MatchValueOneofCase.Integers:
                WriteIntegers(w, "any", match.Integers.Integers);
                break;
            case Match.MatchValueOneofCase.ExceptKeywords:
                WriteStrings(w, "except", match.ExceptKeywords.Strings);
                break;
            case Match.MatchValueOneofCase.ExceptIntegers:
                WriteIntegers(w, "except", match.ExceptIntegers.Integers);
                break;
            case Match.MatchValueOneofCase.Phrase:
                w.WriteString("phrase", match.Phrase);
                break;
            case Match.MatchValueOneofCase.TextAny:
                w.WriteString("text_any", match.TextAny);
                break;
            case Match.MatchValueOneofCase.Prefix:
                throw QdrantException.Unsupported("prefix matching (`match.prefix`)");
        }
        w.WriteEndObject();
    }

    private static void WriteStrings(Utf8JsonWriter w, string property, IEnumerable<string> values)
    {
        w.WriteStartArray(property);
        foreach (string value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }

    private static void WriteIntegers(Utf8JsonWriter w, string property, IEnumerable<long> values)
    {
        w.WriteStartArray(property);
        foreach (long value in values)
        {
            w.WriteNumberValue(value);
        }
        w.WriteEndArray();
    }

    private static void WriteFloats(Utf8JsonWriter w, IEnumerable<float> values)
    {
        w.WriteStartArray();
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw QdrantException.BadRequest($"a vector component must be a finite number, got {value}");
            }
            w.WriteNumberValue(value);
        }
        w.WriteEndArray();
    }

    private static void WritePointId(Utf8JsonWriter w, PointId id)
    {
        switch (id.PointIdOptionsCase)
        {
            case PointId.PointIdOptionsOneofCase.Num:
                w.WriteNumberValue(id.Num);
                break;
            case PointId.PointIdOptionsOneofCase.Uuid:
                w.WriteStringValue(id.Uuid);
                break;
            default:
                throw QdrantException.BadRequest("a point id is empty: set `num` or `uuid`");
        }
    }

    private static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }
}
