using System.Globalization;
using System.Text.Json;
using VectLite.Filtering;

namespace VectLite;

/// <summary>
/// An operand of a <see cref="Filter"/> condition: a string, a number, a boolean, JSON <c>null</c>, or an array of
/// those (<see cref="ArrayOf"/>) for whole-array equality.
/// </summary>
/// <remarks>
/// <para>
/// Values convert implicitly from <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="float"/>, <see cref="bool"/> and <see cref="DateTimeOffset"/>, so <c>Filter.Eq("price", 5)</c> and <c>Filter.Eq("color", "red")</c>
/// read naturally. A <see langword="null"/> string converts to <see cref="Null"/>; <c>default(FilterValue)</c> is
/// <see cref="Null"/> too.
/// </para>
/// <para>
/// Numbers are held as a <see cref="double"/>; an integral number that fits a <see cref="long"/> is also held
/// exactly as a <see cref="long"/>, so integers above 2^53 compare without rounding. The conversions accept
/// <see cref="double.NaN"/> and infinities (conversions never throw), but every <see cref="Filter"/> factory
/// rejects them with an <see cref="ArgumentException"/>, because JSON cannot express them.
/// A <see cref="float"/> widens to the <see cref="double"/> it is exactly equal to: <c>0.1f</c> is 0.10000000149011612.
/// </para>
/// <para>
/// Equality is representational: two values are equal when they have the same kind and the same value;
/// <c>5</c> and <c>5.0</c> are equal, <c>5</c> and <c>"5"</c> are not. Two arrays are equal when they have the same
/// length and equal elements in the same order.
/// </para>
/// <para>
/// A <see cref="DateTimeOffset"/> converts to the string VectLite stores instants as: the ISO-8601 round-trip text
/// of the UTC instant, <c>2026-11-30T16:30:00.0000000+00:00</c> (see <see cref="SortableDateTime"/>). Every such
/// string has the same width and offset, so ordinal string order is time order, and <c>Filter.Gt("at", instant)</c>
/// orders by instant whatever offset the caller's value had, provided the payload stores instants in that form.
/// </para>
/// </remarks>
public readonly struct FilterValue : IEquatable<FilterValue>
{
    // A string, or a FilterValue[] for Kind == Array (owned, never changed after construction).
    private readonly object? _reference;
    private readonly double _number;
    private readonly long _integer;
    private readonly FilterValueKind _kind;
    private readonly bool _isInteger;
    private readonly bool _boolean;

    private FilterValue(string value)
    {
        _kind = FilterValueKind.String;
        _reference = value;
    }

    private FilterValue(bool value)
    {
        _kind = FilterValueKind.Boolean;
        _boolean = value;
    }

    private FilterValue(FilterValue[] items)
    {
        _kind = FilterValueKind.Array;
        _reference = items;
    }

    private FilterValue(long value)
    {
        _kind = FilterValueKind.Number;
        _number = value;
        _integer = value;
        _isInteger = true;
    }

    private FilterValue(double value)
    {
        _kind = FilterValueKind.Number;
        _number = value;
        // Normalise integral doubles to the exact integer form so 5.0 and 5 are one value and
        // print the same way ("5"), which keeps Parse(ToJson()) an identity.
        if (double.IsFinite(value) && Math.Floor(value) == value
            && value >= -9.2233720368547758E18 && value < 9.2233720368547758E18)
        {
            _integer = (long)value;
            _isInteger = true;
        }
    }

    /// <summary>The JSON <c>null</c> value. Equal to <c>default(FilterValue)</c>.</summary>
    public static FilterValue Null => default;

    /// <summary>The JSON type of this value.</summary>
    public FilterValueKind Kind => _kind;

    /// <summary>The string this value holds.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not <see cref="FilterValueKind.String"/>.</exception>
    public string StringValue => _kind == FilterValueKind.String ? (string)_reference! : throw WrongKind(FilterValueKind.String);

    /// <summary>The elements of the array this value holds, in order.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not <see cref="FilterValueKind.Array"/>.</exception>
    public IReadOnlyList<FilterValue> ArrayValue => _kind == FilterValueKind.Array ? Array.AsReadOnly((FilterValue[])_reference!) : throw WrongKind(FilterValueKind.Array);

    /// <summary>The array elements without a copy or wrapper; empty for a value that is not an array.</summary>
    internal ReadOnlySpan<FilterValue> Items => _kind == FilterValueKind.Array ? (FilterValue[])_reference! : default;

    /// <summary>The number this value holds.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not <see cref="FilterValueKind.Number"/>.</exception>
    public double NumberValue => _kind == FilterValueKind.Number ? _number : throw WrongKind(FilterValueKind.Number);

    /// <summary>The boolean this value holds.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Kind"/> is not <see cref="FilterValueKind.Boolean"/>.</exception>
    public bool BooleanValue => _kind == FilterValueKind.Boolean ? _boolean : throw WrongKind(FilterValueKind.Boolean);

    /// <summary>True when this is a number that is integral and fits a <see cref="long"/>; <see cref="Integer"/> then holds it exactly.</summary>
    internal bool IsInteger => _isInteger;

    /// <summary>The exact integer when <see cref="IsInteger"/>; otherwise 0.</summary>
    internal long Integer => _integer;

    /// <summary>
    /// True when comparing this number as a <see cref="double"/> gives the same order as the exact comparison
    /// the evaluator uses: any non-integer, or an integer of magnitude below 2^53.
    /// </summary>
    internal bool IsExactAsDouble => !_isInteger || (_integer > -(1L << 53) && _integer < (1L << 53));

    /// <summary>
    /// An array operand, for whole-array equality: <c>Filter.Eq("tags", FilterValue.ArrayOf("a", "b"))</c> matches a
    /// payload whose <c>tags</c> is exactly <c>["a", "b"]</c> (same length, equal elements in the same order), as the
    /// JSON filter <c>{"tags": ["a", "b"]}</c> does. The elements are copied.
    /// </summary>
    /// <param name="items">The elements: strings, numbers, booleans or nulls (arrays do not nest).</param>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentException">An element is itself an array.</exception>
    public static FilterValue ArrayOf(params FilterValue[] items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i]._kind == FilterValueKind.Array)
            {
                throw new ArgumentException($"{nameof(items)}[{i}] is an array; array operands hold strings, numbers, booleans or nulls, not nested arrays.", nameof(items));
            }
        }

        return new FilterValue((FilterValue[])items.Clone());
    }

    /// <summary>Converts a string; <see langword="null"/> becomes <see cref="Null"/>.</summary>
    public static implicit operator FilterValue(string? value) => value is null ? default : new FilterValue(value);

    /// <summary>Converts a 32-bit integer.</summary>
    public static implicit operator FilterValue(int value) => new((long)value);

    /// <summary>Converts a 64-bit integer; it is kept exactly.</summary>
    public static implicit operator FilterValue(long value) => new(value);

    /// <summary>Converts a double. NaN and infinities convert, but every <see cref="Filter"/> factory rejects them.</summary>
    public static implicit operator FilterValue(double value) => new(value);

    /// <summary>Converts a float by widening it exactly to a double.</summary>
    public static implicit operator FilterValue(float value) => new((double)value);

    /// <summary>Converts a boolean.</summary>
    public static implicit operator FilterValue(bool value) => new(value);

    /// <summary>
    /// Converts an instant to the string VectLite stores instants as (<see cref="SortableDateTime.Format"/>): the
    /// ISO-8601 text of the UTC instant, fixed width, so string order is time order across offsets.
    /// </summary>
    public static implicit operator FilterValue(DateTimeOffset value) => new(SortableDateTime.Format(value));

    /// <summary>Compares two values for equality (same kind and same value).</summary>
    public static bool operator ==(FilterValue left, FilterValue right) => left.Equals(right);

    /// <summary>Compares two values for inequality.</summary>
    public static bool operator !=(FilterValue left, FilterValue right) => !left.Equals(right);

    /// <summary>True when <paramref name="other"/> has the same kind and the same value (strings compare ordinally).</summary>
    public bool Equals(FilterValue other)
    {
        if (_kind != other._kind)
        {
            return false;
        }

        return _kind switch
        {
            FilterValueKind.String => string.Equals((string)_reference!, (string)other._reference!, StringComparison.Ordinal),
            FilterValueKind.Array => Items.SequenceEqual(other.Items),
            FilterValueKind.Boolean => _boolean == other._boolean,
            FilterValueKind.Number => _isInteger == other._isInteger
                && (_isInteger ? _integer == other._integer : _number.Equals(other._number)),
            _ => true,
        };
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is FilterValue other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _kind switch
    {
        FilterValueKind.String => HashCode.Combine(_kind, StringComparer.Ordinal.GetHashCode((string)_reference!)),
        FilterValueKind.Array => ArrayHashCode(),
        FilterValueKind.Boolean => HashCode.Combine(_kind, _boolean),
        FilterValueKind.Number => _isInteger ? HashCode.Combine(_kind, _integer) : HashCode.Combine(_kind, _number),
        _ => 0,
    };

    /// <summary>The value as a JSON literal: <c>"red"</c>, <c>5</c>, <c>2.5</c>, <c>true</c>, <c>null</c>, <c>["a",1]</c>.</summary>
    public override string ToString() => _kind switch
    {
        FilterValueKind.String => QuoteJson((string)_reference!),
        FilterValueKind.Array => "[" + string.Join(",", (FilterValue[])_reference!) + "]",
        FilterValueKind.Boolean => _boolean ? "true" : "false",
        FilterValueKind.Number => _isInteger
            ? _integer.ToString(CultureInfo.InvariantCulture)
            : _number.ToString("R", CultureInfo.InvariantCulture),
        _ => "null",
    };

    /// <summary>Writes the value as a JSON literal.</summary>
    internal void WriteTo(Utf8JsonWriter writer)
    {
        switch (_kind)
        {
            case FilterValueKind.String:
                writer.WriteStringValue((string)_reference!);
                break;
            case FilterValueKind.Array:
                writer.WriteStartArray();
                foreach (FilterValue item in Items)
                {
                    item.WriteTo(writer);
                }

                writer.WriteEndArray();
                break;
            case FilterValueKind.Boolean:
                writer.WriteBooleanValue(_boolean);
                break;
            case FilterValueKind.Number when _isInteger:
                writer.WriteNumberValue(_integer);
                break;
            case FilterValueKind.Number:
                writer.WriteNumberValue(_number);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    private int ArrayHashCode()
    {
        var hash = new HashCode();
        hash.Add(_kind);
        foreach (FilterValue item in Items)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }

    private static string QuoteJson(string value)
    {
        // A one-value JSON document: the same escaping ToJson uses, without pulling in JsonSerializer (AOT).
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(value.Length + 2);
        using (var writer = new Utf8JsonWriter(buffer, FilterJson.WriterOptions))
        {
            writer.WriteStringValue(value);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private InvalidOperationException WrongKind(FilterValueKind wanted) =>
        new($"The filter value is {_kind}, not {wanted}.");
}
