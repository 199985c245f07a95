using System.Text.Json;
using System.Text.Json.Serialization;

namespace VectLite;

/// <summary>
/// Writes <see cref="DateTimeOffset"/> properties of a typed payload in VectLite's sortable form
/// (<see cref="SortableDateTime"/>), so range filters on them order by instant. Reads any ISO-8601 instant.
/// </summary>
/// <remarks>
/// Register it on the source-generated context of your payload types:
/// <c>[JsonSourceGenerationOptions(Converters = [typeof(SortableDateTimeOffsetConverter)])]</c>, or on one property with
/// <c>[JsonConverter(typeof(SortableDateTimeOffsetConverter))]</c>. AOT-safe: it uses no reflection.
/// </remarks>
public sealed class SortableDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc/>
    /// <exception cref="JsonException">The value is not a string holding an ISO-8601 instant.</exception>
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && SortableDateTime.TryParse(reader.GetString(), out DateTimeOffset value))
        {
            return value;
        }

        throw new JsonException($"Expected an ISO-8601 instant string, found {reader.TokenType}.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(SortableDateTime.Format(value));
    }
}
