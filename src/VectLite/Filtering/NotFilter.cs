using System.Text.Json;

namespace VectLite.Filtering;

/// <summary><c>$not</c>: matches when the child does not.</summary>
internal sealed class NotFilter : Filter
{
    /// <summary>Creates the negation of <paramref name="child"/>.</summary>
    public NotFilter(Filter child)
    {
        Child = child;
    }

    /// <summary>The negated filter.</summary>
    public Filter Child { get; }

    internal override bool Matches(JsonElement payload) => !Child.Matches(payload);

    internal override void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WritePropertyName("$not");
        Child.WriteJson(writer);
        writer.WriteEndObject();
    }

    internal override bool EqualsCore(Filter other) => Child.Equals(((NotFilter)other).Child);

    internal override int ComputeHashCode() => HashCode.Combine("$not", Child.GetHashCode());
}
