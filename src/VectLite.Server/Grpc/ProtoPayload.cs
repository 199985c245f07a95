using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.Collections;
using VectLite.Server.Grpc.Messages;
using VectLite.Server.Http;

namespace VectLite.Server.Grpc;

/// <summary>
/// Qdrant's gRPC payload values (<c>qdrant.Value</c>, a JSON value with separate integer and double kinds) and VectLite's
/// JSON payloads. Integers stay integers both ways (a JSON number without a fraction or exponent that fits in 64 bits is
/// an <c>integer_value</c>, as Qdrant's REST and gRPC APIs agree), so a payload written over one protocol reads back the
/// same over the other.
/// </summary>
internal static class ProtoPayload
{
    /// <summary>A gRPC payload map as a JSON object; an empty map is no payload (proto3 cannot tell the two apart).</summary>
    public static JsonObject? ToJson(MapField<string, Value> payload)
    {
        if (payload.Count == 0)
        {
            return null;
        }
        var result = new JsonObject();
        foreach ((string key, Value value) in payload)
        {
            result[key] = ToJson(value);
        }
        return result;
    }

    /// <summary>One value as JSON (null for <c>null_value</c> or an unset value).</summary>
    public static JsonNode? ToJson(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.DoubleValue => Double(value.DoubleValue),
        Value.KindOneofCase.IntegerValue => JsonValue.Create(value.IntegerValue),
        Value.KindOneofCase.StringValue => JsonValue.Create(value.StringValue),
        Value.KindOneofCase.BoolValue => JsonValue.Create(value.BoolValue),
        Value.KindOneofCase.StructValue => Object(value.StructValue.Fields),
        Value.KindOneofCase.ListValue => new JsonArray([.. value.ListValue.Values.Select(ToJson)]),
        _ => null,
    };

    /// <summary>Fills a gRPC payload map from a JSON object.</summary>
    public static void Fill(MapField<string, Value> target, JsonObject? payload)
    {
        if (payload is null)
        {
            return;
        }
        foreach ((string key, JsonNode? value) in payload)
        {
            target[key] = ToProto(value);
        }
    }

    /// <summary>One JSON value as a gRPC value.</summary>
    public static Value ToProto(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return new Value { NullValue = NullValue.NullValue };
            case JsonObject obj:
                var structValue = new Struct();
                Fill(structValue.Fields, obj);
                return new Value { StructValue = structValue };
            case JsonArray array:
                var list = new ListValue();
                list.Values.AddRange(array.Select(ToProto));
                return new Value { ListValue = list };
        }
        JsonValue value = node.AsValue();
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return new Value { StringValue = value.GetValue<string>() };
            case JsonValueKind.True:
                return new Value { BoolValue = true };
            case JsonValueKind.False:
                return new Value { BoolValue = false };
            case JsonValueKind.Number:
                if (value.TryGetValue(out JsonElement element))
                {
                    return IsInteger(element) && element.TryGetInt64(out long parsed)
                        ? new Value { IntegerValue = parsed }
                        : new Value { DoubleValue = element.GetDouble() };
                }
                return value.TryGetValue(out long integer) ? new Value { IntegerValue = integer }
                    : value.TryGetValue(out int small) ? new Value { IntegerValue = small }
                    : new Value { DoubleValue = value.GetValue<double>() };
            default:
                return new Value { NullValue = NullValue.NullValue };
        }
    }

    /// <summary>
    /// A double that stays a double: System.Text.Json writes 1.0 as <c>1</c>, which would read back as an integer, so a
    /// whole number is kept as the JSON text <c>1.0</c> (as Qdrant, whose payloads keep floats and integers apart).
    /// </summary>
    private static JsonValue Double(double value)
    {
        if (!double.IsFinite(value))
        {
            throw QdrantException.BadRequest($"a payload number must be finite, got {value}");
        }
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        if (text.AsSpan().IndexOfAny('.', 'E', 'e') >= 0)
        {
            return JsonValue.Create(value);
        }
        using JsonDocument document = JsonDocument.Parse(text + ".0");
        return JsonValue.Create(document.RootElement.Clone())!;
    }

    private static JsonObject Object(MapField<string, Value> fields)
    {
        var result = new JsonObject();
        foreach ((string key, Value value) in fields)
        {
            result[key] = ToJson(value);
        }
        return result;
    }

    /// <summary>A JSON number written without a fraction or an exponent: Qdrant's integer.</summary>
    private static bool IsInteger(JsonElement number)
    {
        string text = number.GetRawText();
        return !text.Contains('.', StringComparison.Ordinal) && !text.Contains('e', StringComparison.OrdinalIgnoreCase);
    }
}
