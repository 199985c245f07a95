using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Cli;

/// <summary>
/// One record as a line of JSON, the form <c>import</c> reads and <c>export</c>, <c>get</c> and <c>search --json</c>
/// write (docs/cli.md):
/// <c>{"id": 7 | "doc-7", "namespace": "tenant-a", "vector": [..] | "vectors": {"name": [..]}, "payload": {..}, "expires_at": "2026-12-01T00:00:00Z"}</c>.
/// Only <c>id</c> is required. Numbers in an id are unsigned 64-bit ids; strings are string ids.
/// </summary>
internal static class RecordJson
{
    /// <summary>Parses one line into a record.</summary>
    /// <exception cref="CliUsageException">The line is not such an object; the message names the line and the problem.</exception>
    public static Record Parse(string line, long lineNumber)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"line {lineNumber}: not JSON ({ex.Message})");
        }
        if (node is not JsonObject obj)
        {
            throw new CliUsageException($"line {lineNumber}: expected a JSON object");
        }
        var record = new Record(ParseId(obj["id"], lineNumber));
        foreach ((string key, JsonNode? value) in obj)
        {
            switch (key)
            {
                case "id":
                    break;
                case "namespace":
                    record.Namespace = value is null ? null : StringOf(value, key, lineNumber);
                    break;
                case "vector":
                    record.Vector = value is null ? null : Floats(value, key, lineNumber);
                    break;
                case "vectors":
                    if (value is not JsonObject named)
                    {
                        throw new CliUsageException($"line {lineNumber}: \"vectors\" must be an object of name -> array of numbers");
                    }
                    foreach ((string name, JsonNode? v) in named)
                    {
                        record.Vectors[name] = Floats(v, $"vectors.{name}", lineNumber);
                    }
                    break;
                case "payload":
                    record.Payload = value switch
                    {
                        null => null,
                        JsonObject payload => payload.DeepClone().AsObject(),
                        _ => throw new CliUsageException($"line {lineNumber}: \"payload\" must be an object"),
                    };
                    break;
                case "expires_at":
                    record.ExpiresAt = value is null ? null : DateTimeOffset.TryParse(StringOf(value, key, lineNumber), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset at)
                        ? at
                        : throw new CliUsageException($"line {lineNumber}: \"expires_at\" is not an ISO-8601 time");
                    break;
                default:
                    throw new CliUsageException($"line {lineNumber}: unknown field \"{key}\" (expected id, namespace, vector, vectors, payload, expires_at)");
            }
        }
        return record;
    }

    /// <summary>An id from the command line: digits are a numeric id unless <paramref name="asString"/>.</summary>
    public static RecordId ParseId(string text, bool asString) =>
        !asString && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number) ? new RecordId(number) : new RecordId(text);

    private static RecordId ParseId(JsonNode? node, long lineNumber)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue(out string? text))
            {
                return new RecordId(text);
            }
            if (value.GetValueKind() == JsonValueKind.Number && ulong.TryParse(value.ToJsonString(), NumberStyles.None, CultureInfo.InvariantCulture, out ulong number))
            {
                return new RecordId(number);
            }
        }
        throw new CliUsageException($"line {lineNumber}: \"id\" must be an unsigned integer or a string");
    }

    private static string StringOf(JsonNode node, string field, long lineNumber) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? s : throw new CliUsageException($"line {lineNumber}: \"{field}\" must be a string");

    private static float[] Floats(JsonNode? node, string field, long lineNumber)
    {
        if (node is not JsonArray array)
        {
            throw new CliUsageException($"line {lineNumber}: \"{field}\" must be an array of numbers");
        }
        var values = new float[array.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (array[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.Number)
            {
                throw new CliUsageException($"line {lineNumber}: \"{field}\"[{i}] is not a number");
            }
            values[i] = v.GetValue<float>();
        }
        return values;
    }

    /// <summary>Writes a record as one JSON object (the import form).</summary>
    public static void Write(Utf8JsonWriter json, Record record)
    {
        json.WriteStartObject();
        WriteId(json, record.Id);
        if (!string.IsNullOrEmpty(record.Namespace))
        {
            json.WriteString("namespace", record.Namespace);
        }
        if (record.Vectors.Count > 0)
        {
            json.WriteStartObject("vectors");
            foreach ((string name, ReadOnlyMemory<float> vector) in record.Vectors)
            {
                WriteFloats(json, name, vector.Span);
            }
            json.WriteEndObject();
        }
        else if (record.Vector is { } vector)
        {
            WriteFloats(json, "vector", vector.Span);
        }
        if (record.Payload is { } payload)
        {
            json.WritePropertyName("payload");
            payload.WriteTo(json);
        }
        if (record.ExpiresAt is { } expires)
        {
            json.WriteString("expires_at", expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }
        json.WriteEndObject();
    }

    /// <summary>Writes a search hit as one JSON object: id, namespace, score, payload (and vectors when asked for).</summary>
    public static void Write(Utf8JsonWriter json, SearchHit hit)
    {
        json.WriteStartObject();
        WriteId(json, hit.Id);
        if (!string.IsNullOrEmpty(hit.Namespace))
        {
            json.WriteString("namespace", hit.Namespace);
        }
        json.WriteNumber("score", hit.Score);
        if (hit.Vectors is { Count: > 0 } vectors)
        {
            json.WriteStartObject("vectors");
            foreach ((string name, ReadOnlyMemory<float> vector) in vectors)
            {
                WriteFloats(json, name, vector.Span);
            }
            json.WriteEndObject();
        }
        if (hit.Payload is { } payload)
        {
            json.WritePropertyName("payload");
            payload.WriteTo(json);
        }
        json.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter json, RecordId id)
    {
        if (id.IsString)
        {
            json.WriteString("id", id.AsString);
        }
        else
        {
            json.WriteNumber("id", id.AsNumber);
        }
    }

    private static void WriteFloats(Utf8JsonWriter json, string name, ReadOnlySpan<float> values)
    {
        json.WriteStartArray(name);
        foreach (float v in values)
        {
            json.WriteNumberValue(v); // shortest text that reads back as the same float
        }
        json.WriteEndArray();
    }
}
