using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// A dot path into a JSON payload (<c>meta.author.name</c>, <c>items.0.qty</c>), split and UTF-8 encoded once
/// so that resolving it against a payload allocates nothing.
/// </summary>
/// <remarks>
/// <para>How a path resolves (the same rules serve filter evaluation and payload indexing):</para>
/// <list type="bullet">
/// <item>On an object, a segment selects the property of that name (exact, ordinal). A payload key that itself
/// contains a '.' cannot be addressed.</item>
/// <item>On an array, a segment that is a non-negative integer without leading zeros (<c>0</c>, <c>12</c>)
/// selects that element. Any other segment fans out: every element that is an object is looked up with the same
/// segment, so <c>items.qty</c> on <c>{"items":[{"qty":1},{"qty":2}]}</c> resolves to 1 and 2. Elements that are
/// arrays or scalars are skipped.</item>
/// <item>On a scalar, or on a missing payload (<c>default(JsonElement)</c>), nothing resolves.</item>
/// </list>
/// <para>The visitor receives each value the last segment reaches, arrays included as arrays: whether an array's
/// elements count as candidates is the caller's rule.</para>
/// </remarks>
internal sealed class PayloadPath : IEquatable<PayloadPath>
{
    private readonly byte[][] _segments;
    private readonly int[] _arrayIndexes;

    private PayloadPath(string text, byte[][] segments, int[] arrayIndexes)
    {
        Text = text;
        _segments = segments;
        _arrayIndexes = arrayIndexes;
    }

    /// <summary>The path as written, e.g. <c>meta.author.name</c>.</summary>
    public string Text { get; }

    /// <summary>Validates and splits <paramref name="text"/>; <paramref name="error"/> says what is wrong when it fails.</summary>
    public static bool TryCreate(string text, [NotNullWhen(true)] out PayloadPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        if (text.Length == 0)
        {
            error = "the field path is empty";
            return false;
        }

        if (text[0] == '$')
        {
            error = $"the field path '{text}' starts with '$', which marks an operator";
            return false;
        }

        if (UnicodeText.Problem(text) is { } problem)
        {
            error = $"the field path {problem}";
            return false;
        }

        string[] parts = text.Split('.');
        var segments = new byte[parts.Length][];
        var indexes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            if (part.Length == 0)
            {
                error = $"the field path '{text}' has an empty segment (a leading, trailing or doubled '.')";
                return false;
            }

            if (!Utf8Strings.TryEncode(part, out byte[]? utf8))
            {
                error = $"the field path '{text}' contains an unpaired surrogate";
                return false;
            }

            segments[i] = utf8;
            indexes[i] = ParseArrayIndex(part);
        }

        path = new PayloadPath(text, segments, indexes);
        error = null;
        return true;
    }

    /// <summary>Validates and splits <paramref name="text"/>, throwing an <see cref="ArgumentException"/> for <paramref name="paramName"/>.</summary>
    public static PayloadPath Create(string text, string paramName)
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        return TryCreate(text, out PayloadPath? path, out string? error)
            ? path
            : throw new ArgumentException($"Invalid field path: {error}.", paramName);
    }

    /// <summary>
    /// Walks <paramref name="root"/> along the path and hands every resolved value to <paramref name="visitor"/>.
    /// Returns true as soon as the visitor does; false when it never did (or nothing resolved).
    /// </summary>
    public bool Visit<TVisitor>(JsonElement root, ref TVisitor visitor)
        where TVisitor : struct, IPayloadValueVisitor
        => Walk(root, 0, ref visitor);

    /// <inheritdoc/>
    public bool Equals(PayloadPath? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as PayloadPath);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Text);

    /// <inheritdoc/>
    public override string ToString() => Text;

    private bool Walk<TVisitor>(JsonElement current, int segment, ref TVisitor visitor)
        where TVisitor : struct, IPayloadValueVisitor
    {
        if (segment == _segments.Length)
        {
            return visitor.Visit(current);
        }

        switch (current.ValueKind)
        {
            case JsonValueKind.Object:
                return current.TryGetProperty(_segments[segment], out JsonElement child)
                    && Walk(child, segment + 1, ref visitor);

            case JsonValueKind.Array:
                int index = _arrayIndexes[segment];
                if (index >= 0)
                {
                    return index < current.GetArrayLength() && Walk(current[index], segment + 1, ref visitor);
                }

                foreach (JsonElement element in current.EnumerateArray())
                {
                    if (element.ValueKind == JsonValueKind.Object && Walk(element, segment, ref visitor))
                    {
                        return true;
                    }
                }

                return false;

            default:
                return false;
        }
    }

    private static int ParseArrayIndex(string segment)
    {
        // "01" is not an index: it would make two spellings address one element, and Mongo treats it as a key.
        if (segment.Length > 1 && segment[0] == '0')
        {
            return -1;
        }

        foreach (char c in segment)
        {
            if (!char.IsAsciiDigit(c))
            {
                return -1;
            }
        }

        return int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out int index) ? index : -1;
    }
}
