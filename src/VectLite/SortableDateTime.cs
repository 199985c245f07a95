using System.Globalization;
using System.Text.Json.Nodes;

namespace VectLite;

/// <summary>
/// How VectLite writes an instant (<see cref="DateTimeOffset"/>) into a JSON payload so that filters order it by time.
/// </summary>
/// <remarks>
/// <para>JSON has no date type, so an instant is stored as a string. VectLite's form is the ISO-8601 round-trip text of
/// the UTC instant: <c>2026-11-30T16:30:00.0000000+00:00</c>. Every such string has the same width (33 characters for
/// years 0001 to 9999) and the same offset, so ordinal string order, which is what <c>$gt</c>/<c>$lt</c> use on
/// strings, is time order: <c>Filter.Gt("at", someInstant)</c> selects later instants whatever offsets the writer
/// and the caller used. Equality is by instant too (10:00+02:00 and 08:00Z store the same text). The original offset
/// is not kept; the value reads back as the same instant at offset zero, which
/// <see cref="DateTimeOffset.Equals(DateTimeOffset)"/> considers equal.</para>
/// <para>The same form is used by <see cref="FilterValue"/>'s conversion from <see cref="DateTimeOffset"/>, by
/// <see cref="SortableDateTimeOffsetConverter"/> for typed payloads, and by the VectorData connector, so what is stored
/// and what a filter compares with always agree. System.Text.Json's default form (<c>2026-11-30T18:30:00+02:00</c>)
/// keeps the offset and trims zeros, so it does not sort: write instants with <see cref="ToJson"/> or the
/// converter.</para>
/// </remarks>
/// <example>
/// <code>
/// var payload = new JsonObject { ["title"] = "Dune", ["published"] = SortableDateTime.ToJson(published) };
/// var recent = Filter.Gte("published", DateTimeOffset.UtcNow.AddDays(-7));
/// </code>
/// </example>
public static class SortableDateTime
{
    /// <summary>The length of every string <see cref="Format"/> returns.</summary>
    public const int Length = 33;

    /// <summary>The stored form of <paramref name="value"/>: ISO-8601 text of the UTC instant, fixed width.</summary>
    public static string Format(DateTimeOffset value) => value.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The stored form of <paramref name="value"/> as a JSON value for a <see cref="JsonObject"/> payload.</summary>
    public static JsonValue ToJson(DateTimeOffset value) => JsonValue.Create(Format(value));

    /// <summary>
    /// Reads an ISO-8601 instant (the stored form or any other ISO-8601 text with an offset or <c>Z</c>); false when
    /// <paramref name="text"/> is not one. A text without an offset is read as UTC.
    /// </summary>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
}
