using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Storage;

/// <summary>
/// How payloads become the UTF-8 JSON that the log and the records file hold, and back. The writer validates and
/// encodes a payload completely (depth, strings) and parses the result once, before anything is logged, so applying
/// a logged batch never parses and cannot fail on its payloads.
/// </summary>
internal static class PayloadJson
{
    /// <summary>How deeply a payload may nest objects and arrays.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// What replay accepts: more than <see cref="MaxDepth"/>, because versions before the limit wrote payloads up to
    /// 1,000 levels deep into their logs; a log they wrote must still open.
    /// </summary>
    private const int ReplayMaxDepth = 1000;

    private static readonly JsonWriterOptions WriterOptions = new() { MaxDepth = MaxDepth };
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = ReplayMaxDepth };

    /// <summary>Validates and encodes <paramref name="payload"/>; <paramref name="owner"/> names it in errors ("record 7").</summary>
    /// <exception cref="InvalidRecordException">Too deep, an unpaired surrogate in a key or string, or not serialisable.</exception>
    public static EncodedPayload Encode(JsonObject payload, string owner)
    {
        byte[] utf8;
        try
        {
            using var stream = new MemoryStream();
            using (var writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                payload.WriteTo(writer);
            }
            utf8 = stream.ToArray();
        }
        catch (InvalidOperationException ex) when (ex.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidRecordException($"The payload of {owner} nests more than {MaxDepth} levels of objects and arrays; flatten it.");
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or JsonException or NotSupportedException)
        {
            throw new InvalidRecordException($"The payload of {owner} cannot be stored as JSON: {ex.Message}");
        }

        // The writer turns an unpaired surrogate into U+FFFD, escaped as \uFFFD: only then is the slow walk needed.
        if (utf8.AsSpan().IndexOf("\\uFFFD"u8) >= 0 && FindBadString(payload, "$") is { } bad)
        {
            throw new InvalidRecordException($"The payload of {owner} has a string at {bad.Path} that cannot be stored: {bad.Problem}.");
        }
        return new EncodedPayload(utf8, Parse(utf8));
    }

    /// <summary>
    /// A new mutable object holding the stored <paramref name="payload"/> (the caller's to change: the stored element
    /// stays untouched); null when there is none.
    /// </summary>
    public static JsonObject? ToObject(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object ? JsonObject.Create(payload)!.DeepClone().AsObject() : null;

    /// <summary>Parses stored payload bytes; <c>default</c> for none.</summary>
    /// <exception cref="FormatException">The bytes are not one JSON object (the caller reports the file).</exception>
    public static JsonElement Parse(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, ReaderOptions);
            JsonElement element = JsonElement.ParseValue(ref reader); // owns its memory: safe to keep for the row's life
            if (element.ValueKind != JsonValueKind.Object || reader.BytesConsumed != utf8.Length)
            {
                throw new FormatException($"a stored payload is not one JSON object ({element.ValueKind})");
            }
            return element;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"a stored payload is not valid JSON: {ex.Message}", ex);
        }
    }

    private static (string Path, string Problem)? FindBadString(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach ((string key, JsonNode? child) in obj)
                {
                    string childPath = $"{path}.{key}";
                    if (UnicodeText.Problem(key) is { } keyProblem)
                    {
                        return (childPath, "its key: " + keyProblem);
                    }
                    if (FindBadString(child, childPath) is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonArray array:
                for (int i = 0; i < array.Count; i++)
                {
                    if (FindBadString(array[i], $"{path}[{i}]") is { } found)
                    {
                        return found;
                    }
                }
                return null;
            case JsonValue value when value.TryGetValue(out string? text):
                return UnicodeText.Problem(text) is { } problem ? (path, problem) : null;
            default:
                return null;
        }
    }
}

/// <summary>A payload as the log stores it (<paramref name="Utf8"/>) and as rows hold it (<paramref name="Element"/>).</summary>
internal readonly record struct EncodedPayload(byte[] Utf8, JsonElement Element);
