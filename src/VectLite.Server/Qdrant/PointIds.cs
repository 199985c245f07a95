using System.Globalization;
using System.Text.Json;
using VectLite.Server.Http;

namespace VectLite.Server.Qdrant;

/// <summary>
/// Qdrant point ids and VectLite record ids. Qdrant's ids are unsigned 64-bit integers or UUIDs; VectLite stores a
/// number as a numeric <see cref="RecordId"/> and a UUID as a string id in its canonical lower-case hyphenated form, so
/// "550E8400-E29B-41D4-A716-446655440000" and "550e8400e29b41d4a716446655440000" name the same point, as in Qdrant.
/// </summary>
internal static class PointIds
{
    /// <summary>Parses one id: a JSON integer &gt;= 0 or a UUID string.</summary>
    /// <exception cref="QdrantException">Anything else, such as the string "42" or a negative number (Qdrant refuses both).</exception>
    public static RecordId Parse(JsonElement id)
    {
        switch (id.ValueKind)
        {
            case JsonValueKind.Number when id.TryGetUInt64(out ulong number):
                return new RecordId(number);
            case JsonValueKind.String:
                return ParseString(id.GetString()!);
            default:
                throw QdrantException.BadRequest($"a point id must be an unsigned integer or a UUID string, got {id.GetRawText()}");
        }
    }

    /// <summary>Parses an id from a URL segment: digits are a number, anything else must be a UUID.</summary>
    public static RecordId ParseSegment(string segment) =>
        ulong.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out ulong number) ? new RecordId(number) : ParseString(segment);

    /// <summary>Parses a JSON array of ids.</summary>
    public static List<RecordId> ParseMany(JsonElement ids, string field)
    {
        if (ids.ValueKind != JsonValueKind.Array)
        {
            throw QdrantException.BadRequest($"`{field}` must be an array of point ids");
        }
        var result = new List<RecordId>(ids.GetArrayLength());
        foreach (JsonElement id in ids.EnumerateArray())
        {
            result.Add(Parse(id));
        }
        return result;
    }

    /// <summary>Writes an id as Qdrant returns it: a JSON number, or the UUID string.</summary>
    public static void Write(Utf8JsonWriter writer, RecordId id)
    {
        if (id.IsString)
        {
            writer.WriteStringValue(id.AsString);
        }
        else
        {
            writer.WriteNumberValue(id.AsNumber);
        }
    }

    /// <summary>The id as it appears in messages: the number, or the UUID.</summary>
    public static string Describe(RecordId id) => id.ToString();

    /// <summary>Parses a UUID in any spelling Qdrant accepts; anything else is 400.</summary>
    public static RecordId ParseString(string text) =>
        Guid.TryParse(text, out Guid uuid)
            ? RecordId.FromGuid(uuid)
            : throw QdrantException.BadRequest($"Unable to parse UUID: {text}: a point id must be an unsigned integer or a UUID");
}
