using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace VectLite.Filtering;

/// <summary>
/// Compares payload values with filter operands without allocating on the common path.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Numbers: exactly as integers when both sides are integers that fit a <see cref="long"/>, otherwise as doubles.</item>
/// <item>Strings: ordinal by Unicode code point, i.e. by UTF-8 bytes. Unescaped payload strings are compared on
/// their raw UTF-8 bytes; strings with escapes take a slower path that decodes them.</item>
/// <item>A payload string holding an unpaired surrogate escape (<c>"\ud800"</c>) cannot be decoded: it equals,
/// orders against and contains nothing. The payload indexes skip it the same way.</item>
/// <item>Values of different JSON types never compare.</item>
/// </list>
/// </remarks>
internal static class JsonValueComparer
{
    /// <summary>True when <paramref name="element"/> equals <paramref name="value"/>; <paramref name="utf8"/> is its UTF-8 form when it is a string.</summary>
    public static bool Equal(JsonElement element, in FilterValue value, byte[]? utf8)
    {
        switch (value.Kind)
        {
            case FilterValueKind.String:
                return element.ValueKind == JsonValueKind.String && StringEquals(element, utf8!);
            case FilterValueKind.Number:
                return element.ValueKind == JsonValueKind.Number && TryCompareNumber(element, value, out int c) && c == 0;
            case FilterValueKind.Boolean:
                return element.ValueKind == (value.BooleanValue ? JsonValueKind.True : JsonValueKind.False);
            case FilterValueKind.Array:
                Debug.Fail("Array operands compare with ArrayEqual, which needs their elements' UTF-8.");
                return false;
            default:
                return element.ValueKind == JsonValueKind.Null;
        }
    }

    /// <summary>
    /// True when <paramref name="element"/> is an array of the same length as <paramref name="items"/> whose elements
    /// equal them in order; <paramref name="utf8"/> holds the UTF-8 form of each string item.
    /// </summary>
    public static bool ArrayEqual(JsonElement element, ReadOnlySpan<FilterValue> items, byte[]?[] utf8)
    {
        if (element.ValueKind != JsonValueKind.Array || element.GetArrayLength() != items.Length)
        {
            return false;
        }

        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            if (!Equal(item, items[i], utf8[i]))
            {
                return false;
            }

            i++;
        }

        return true;
    }

    /// <summary>Orders <paramref name="element"/> against a number or string operand; false when the types differ.</summary>
    public static bool TryCompare(JsonElement element, in FilterValue value, byte[]? utf8, out int comparison)
    {
        if (value.Kind == FilterValueKind.Number && element.ValueKind == JsonValueKind.Number)
        {
            return TryCompareNumber(element, value, out comparison);
        }

        if (value.Kind == FilterValueKind.String && element.ValueKind == JsonValueKind.String)
        {
            return TryCompareString(element, utf8!, out comparison);
        }

        comparison = 0;
        return false;
    }

    /// <summary>True when the string <paramref name="element"/> contains <paramref name="utf8"/> as a substring (ordinal).</summary>
    public static bool ContainsSubstring(JsonElement element, byte[] utf8)
    {
        if (TryGetUnescaped(element, out ReadOnlySpan<byte> content))
        {
            return content.IndexOf(utf8) >= 0;
        }

        return TryDecode(element, out byte[]? decoded) && decoded.AsSpan().IndexOf(utf8) >= 0;
    }

    /// <summary>Reads a string element as a .NET string; false for one holding an unpaired surrogate escape.</summary>
    public static bool TryGetString(JsonElement element, [NotNullWhen(true)] out string? value)
    {
        try
        {
            value = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // Raised for "\ud800"-style escapes that do not form valid UTF-16; such strings are not comparable.
            value = null;
            return false;
        }
    }

    private static bool TryCompareNumber(JsonElement element, in FilterValue value, out int comparison)
    {
        if (value.IsInteger && element.TryGetInt64(out long integer))
        {
            comparison = integer.CompareTo(value.Integer);
            return true;
        }

        if (element.TryGetDouble(out double number))
        {
            comparison = number.CompareTo(value.NumberValue);
            return true;
        }

        comparison = 0;
        return false;
    }

    private static bool StringEquals(JsonElement element, byte[] utf8)
    {
        if (TryGetUnescaped(element, out ReadOnlySpan<byte> content))
        {
            return content.SequenceEqual(utf8);
        }

        return TryDecode(element, out byte[]? decoded) && decoded.AsSpan().SequenceEqual(utf8);
    }

    private static bool TryCompareString(JsonElement element, byte[] utf8, out int comparison)
    {
        if (TryGetUnescaped(element, out ReadOnlySpan<byte> content))
        {
            comparison = content.SequenceCompareTo(utf8);
            return true;
        }

        if (TryDecode(element, out byte[]? decoded))
        {
            comparison = decoded.AsSpan().SequenceCompareTo(utf8);
            return true;
        }

        comparison = 0;
        return false;
    }

    /// <summary>The raw UTF-8 content of a string element when it holds no escape sequence (the common case).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryGetUnescaped(JsonElement element, out ReadOnlySpan<byte> content)
    {
        ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(element);
        content = raw[1..^1]; // strip the quotes
        return content.IndexOf((byte)'\\') < 0;
    }

    /// <summary>Slow path for escaped strings: decode, then re-encode so comparison stays by code point.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryDecode(JsonElement element, [NotNullWhen(true)] out byte[]? utf8)
    {
        utf8 = null;
        return TryGetString(element, out string? text) && Utf8Strings.TryEncode(text, out utf8);
    }
}
