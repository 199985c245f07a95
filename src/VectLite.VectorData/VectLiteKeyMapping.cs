using System.Text.Json.Nodes;

namespace VectLite.VectorData;

/// <summary>
/// Maps MEVD keys to engine record ids and back: <see cref="int"/> and <see cref="long"/> to numeric ids (negative
/// values are rejected: engine ids are unsigned), <see cref="string"/> to string ids, <see cref="Guid"/> to string ids
/// in "D" form.
/// </summary>
internal static class VectLiteKeyMapping
{
    /// <summary>The key types a collection may use, for error messages.</summary>
    public const string SupportedKeyTypes = "int, long, string, Guid";

    /// <summary>Whether <paramref name="type"/> can be a key.</summary>
    public static bool IsSupported(Type type) =>
        type == typeof(int) || type == typeof(long) || type == typeof(string) || type == typeof(Guid);

    /// <summary>The engine id for a key of the collection's key type <paramref name="keyType"/>.</summary>
    /// <exception cref="ArgumentNullException">The key is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An integer key is negative.</exception>
    /// <exception cref="ArgumentException">The key has another type than the key property, or is an empty or over-long string.</exception>
    public static RecordId ToRecordId(object? key, Type keyType)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.GetType() != keyType)
        {
            throw new ArgumentException($"The key {key} has type '{key.GetType().Name}', but the collection's key property has type '{keyType.Name}'.", nameof(key));
        }
        switch (key)
        {
            case int i:
                ThrowIfNegative(i);
                return new RecordId((ulong)i);
            case long l:
                ThrowIfNegative(l);
                return new RecordId((ulong)l);
            case Guid g:
                return RecordId.FromGuid(g);
            case string s:
                try
                {
                    return new RecordId(s);
                }
                catch (InvalidRecordException ex)
                {
                    throw new ArgumentException(ex.Message, nameof(key), ex);
                }
            default:
                throw new ArgumentException($"VectLite keys must be one of {SupportedKeyTypes}; got '{keyType.Name}'.", nameof(key));
        }
    }

    /// <summary>The key, as the collection's key type, of a record the engine returned.</summary>
    /// <exception cref="InvalidOperationException">The stored id cannot be that type (a record written outside this connector).</exception>
    public static object FromRecordId(RecordId id, Type keyType)
    {
        if (keyType == typeof(string))
        {
            return id.IsString ? id.AsString : throw Mismatch(id, keyType);
        }
        if (keyType == typeof(Guid))
        {
            return id.IsString && Guid.TryParseExact(id.AsString, "D", out Guid guid) ? guid : throw Mismatch(id, keyType);
        }
        if (id.IsString)
        {
            throw Mismatch(id, keyType);
        }
        ulong number = id.AsNumber;
        if (keyType == typeof(int))
        {
            return number <= int.MaxValue ? (int)number : throw Mismatch(id, keyType);
        }
        return number <= long.MaxValue ? (long)number : throw Mismatch(id, keyType);
    }

    /// <summary>The key as stored in the payload (so that filters and ordering can name it): a number or a string.</summary>
    public static JsonNode ToPayload(RecordId id) =>
        id.IsString ? JsonValue.Create(id.AsString) : JsonValue.Create(id.AsNumber);

    private static void ThrowIfNegative(long value)
    {
        if (value < 0)
        {
            throw new ArgumentOutOfRangeException("key", value,
                "VectLite stores integer keys as unsigned 64-bit record ids, so a key must not be negative.");
        }
    }

    private static InvalidOperationException Mismatch(RecordId id, Type keyType) =>
        new($"The stored record id '{id}' ({(id.IsString ? "a string" : "a number")}) cannot be read as a key of type '{keyType.Name}'; it was not written through a collection with this key type.");
}
