using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>Writer settings and helpers for the canonical JSON form of filters.</summary>
internal static class FilterJson
{
    /// <summary>
    /// Compact output with relaxed escaping: the canonical form is read by people and by <see cref="Filter.Parse(string)"/>,
    /// never embedded in HTML, so "café" stays readable instead of becoming "caf\u00E9".
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    /// <summary>Renders <paramref name="filter"/> as its canonical JSON text.</summary>
    public static string ToJson(Filter filter)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            filter.WriteJson(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
