using System.Globalization;
using System.Text;

namespace VectLite;

/// <summary>
/// A record's id: a 64-bit unsigned integer or a non-empty string (Guids are stored as their "D" string form).
/// Converts implicitly from <see cref="ulong"/>, <see cref="long"/>, <see cref="int"/>, <see cref="string"/> and <see cref="Guid"/>.
/// </summary>
/// <remarks>
/// The number 7 and the string "7" are different ids. Ordering (used by scrolling): all numeric ids in ascending order,
/// then all string ids in ordinal order. <c>default(RecordId)</c> is the number 0.
/// </remarks>
public readonly struct RecordId : IEquatable<RecordId>, IComparable<RecordId>
{
    /// <summary>The longest string id, in UTF-8 bytes.</summary>
    public const int MaxStringBytes = 1024;

    private readonly string? _string;
    private readonly ulong _number;

    /// <summary>Creates a numeric id.</summary>
    public RecordId(ulong number)
    {
        _number = number;
        _string = null;
    }

    /// <summary>Creates a string id.</summary>
    /// <exception cref="InvalidRecordException">The string is empty, longer than <see cref="MaxStringBytes"/> UTF-8 bytes, or not well-formed UTF-16 (an unpaired surrogate).</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public RecordId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw new InvalidRecordException("A record id must not be an empty string.");
        }
        if (value.Length > MaxStringBytes / 3 && Encoding.UTF8.GetByteCount(value) > MaxStringBytes)
        {
            throw new InvalidRecordException($"A string record id may be at most {MaxStringBytes} UTF-8 bytes; this one has {Encoding.UTF8.GetByteCount(value)}.");
        }
        if (UnicodeText.Problem(value) is { } problem)
        {
            throw new InvalidRecordException($"The string record id cannot be used: {problem}.");
        }
        _string = value;
        _number = 0;
    }

    /// <summary>True for a string id, false for a numeric one.</summary>
    public bool IsString => _string is not null;

    /// <summary>The numeric value.</summary>
    /// <exception cref="InvalidOperationException">This is a string id.</exception>
    public ulong AsNumber => _string is null ? _number : throw new InvalidOperationException($"Record id '{_string}' is a string, not a number.");

    /// <summary>The string value.</summary>
    /// <exception cref="InvalidOperationException">This is a numeric id.</exception>
    public string AsString => _string ?? throw new InvalidOperationException($"Record id {_number} is a number, not a string.");

    /// <summary>A numeric id.</summary>
    public static implicit operator RecordId(ulong number) => new(number);

    /// <summary>A numeric id from a non-negative <see cref="long"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static implicit operator RecordId(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return new((ulong)number);
    }

    /// <summary>A numeric id from a non-negative <see cref="int"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public static implicit operator RecordId(int number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        return new((ulong)number);
    }

    /// <summary>A string id.</summary>
    public static implicit operator RecordId(string value) => new(value);

    /// <summary>A string id holding the Guid in its "D" form (lower-case, with hyphens).</summary>
    public static implicit operator RecordId(Guid value) => new(value.ToString("D"));

    /// <summary>Creates a numeric id (the named alternative to the implicit conversion).</summary>
    public static RecordId FromUInt64(ulong number) => new(number);

    /// <summary>Creates a string id (the named alternative to the implicit conversion).</summary>
    public static RecordId FromString(string value) => new(value);

    /// <summary>Creates a string id from a Guid (the named alternative to the implicit conversion).</summary>
    public static RecordId FromGuid(Guid value) => new(value.ToString("D"));

    /// <inheritdoc/>
    public bool Equals(RecordId other) =>
        _string is null ? other._string is null && _number == other._number : string.Equals(_string, other._string, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is RecordId other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _string is null ? _number.GetHashCode() : StringComparer.Ordinal.GetHashCode(_string);

    /// <summary>Numbers first (ascending), then strings (ordinal).</summary>
    public int CompareTo(RecordId other)
    {
        if (_string is null)
        {
            return other._string is null ? _number.CompareTo(other._number) : -1;
        }
        return other._string is null ? 1 : string.CompareOrdinal(_string, other._string);
    }

    /// <summary>The number in invariant digits, or the string itself.</summary>
    public override string ToString() => _string ?? _number.ToString(CultureInfo.InvariantCulture);

    /// <summary>Equality.</summary>
    public static bool operator ==(RecordId left, RecordId right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(RecordId left, RecordId right) => !left.Equals(right);

    /// <summary>Ordering as <see cref="CompareTo"/>.</summary>
    public static bool operator <(RecordId left, RecordId right) => left.CompareTo(right) < 0;

    /// <summary>Ordering as <see cref="CompareTo"/>.</summary>
    public static bool operator >(RecordId left, RecordId right) => left.CompareTo(right) > 0;

    /// <summary>Ordering as <see cref="CompareTo"/>.</summary>
    public static bool operator <=(RecordId left, RecordId right) => left.CompareTo(right) <= 0;

    /// <summary>Ordering as <see cref="CompareTo"/>.</summary>
    public static bool operator >=(RecordId left, RecordId right) => left.CompareTo(right) >= 0;
}
