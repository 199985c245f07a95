using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.VectorData;

/// <summary>
/// How record property values are written to the engine's JSON payload, read back, and turned into filter operands.
/// One place decides every representation, so what is stored and what a filter compares against always agree.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Strings and booleans: JSON strings and booleans.</item>
/// <item>Integers (<see cref="byte"/> to <see cref="ulong"/>): JSON integers, compared exactly (up to
/// <see cref="long.MaxValue"/>; larger <see cref="ulong"/> values compare as doubles).</item>
/// <item><see cref="float"/>, <see cref="double"/>, <see cref="decimal"/>: JSON numbers in their shortest round-trip
/// text, so they read back exactly. Filter operands are parsed from that same text, so <c>r.F == 0.1f</c> compares
/// 0.1 with 0.1 instead of the widened 0.100000001490116.</item>
/// <item><see cref="Guid"/>: its "D" string (lower case, hyphens).</item>
/// <item><see cref="DateTimeOffset"/>: <see cref="SortableDateTime"/>'s form, ISO-8601 "O" text of the UTC instant (<c>2020-01-01T10:30:45.0000000+00:00</c>).
/// Fixed width and one offset, so ordinal string order is time order; the original offset is not kept (the value
/// reads back as the same instant at offset zero, which <see cref="DateTimeOffset.Equals(DateTimeOffset)"/> considers equal).</item>
/// <item><see cref="DateTime"/>: ISO-8601 "O" text of the wall-clock value with its kind (<c>...45.0000000</c>,
/// <c>...45.0000000Z</c> or <c>...45.0000000+02:00</c>), so it reads back with its kind. The first 27 characters are
/// the fixed-width wall clock; the filter translator compares on that prefix, matching .NET, which compares
/// <see cref="DateTime"/> ticks and ignores the kind.</item>
/// <item><see cref="DateOnly"/> (<c>yyyy-MM-dd</c>) and <see cref="TimeOnly"/> (<c>HH:mm:ss.fffffff</c>): fixed-width
/// strings, so string order is time order.</item>
/// <item>Arrays and <see cref="List{T}"/> of the above: JSON arrays. <see langword="null"/>: JSON <c>null</c>.</item>
/// </list>
/// </remarks>
internal static class VectLitePayloadCodec
{
    /// <summary>The data property types, for error messages.</summary>
    public const string SupportedDataTypes =
        "string, bool, byte, sbyte, short, ushort, int, uint, long, ulong, float, double, decimal, DateTime, DateTimeOffset, DateOnly, TimeOnly, Guid, "
        + "their nullable forms, and arrays or List<T> of them";

    /// <summary>Length of the wall-clock part of a <see cref="DateTime"/> in "O" form: <c>yyyy-MM-ddTHH:mm:ss.fffffff</c>.</summary>
    private const int DateTimeWallClockLength = 27;

    /// <summary>
    /// The supported scalar types and their nullable forms, each with how to make its <c>T[]</c> and
    /// <see cref="List{T}"/>. Written out per type instead of <see cref="Array.CreateInstance(Type, int)"/> and
    /// <see cref="Activator"/>, so Native AOT compiles every instantiation ahead of time and trimming keeps the
    /// constructors; one table, so what <see cref="IsSupported"/> accepts is exactly what can be read back.
    /// </summary>
    private static readonly Dictionary<Type, SequenceFactory> s_scalarTypes = new()
    {
        [typeof(string)] = SequenceFactory.For<string?>(),
        [typeof(bool)] = SequenceFactory.For<bool>(),
        [typeof(bool?)] = SequenceFactory.For<bool?>(),
        [typeof(byte)] = SequenceFactory.For<byte>(),
        [typeof(byte?)] = SequenceFactory.For<byte?>(),
        [typeof(sbyte)] = SequenceFactory.For<sbyte>(),
        [typeof(sbyte?)] = SequenceFactory.For<sbyte?>(),
        [typeof(short)] = SequenceFactory.For<short>(),
        [typeof(short?)] = SequenceFactory.For<short?>(),
        [typeof(ushort)] = SequenceFactory.For<ushort>(),
        [typeof(ushort?)] = SequenceFactory.For<ushort?>(),
        [typeof(int)] = SequenceFactory.For<int>(),
        [typeof(int?)] = SequenceFactory.For<int?>(),
        [typeof(uint)] = SequenceFactory.For<uint>(),
        [typeof(uint?)] = SequenceFactory.For<uint?>(),
        [typeof(long)] = SequenceFactory.For<long>(),
        [typeof(long?)] = SequenceFactory.For<long?>(),
        [typeof(ulong)] = SequenceFactory.For<ulong>(),
        [typeof(ulong?)] = SequenceFactory.For<ulong?>(),
        [typeof(float)] = SequenceFactory.For<float>(),
        [typeof(float?)] = SequenceFactory.For<float?>(),
        [typeof(double)] = SequenceFactory.For<double>(),
        [typeof(double?)] = SequenceFactory.For<double?>(),
        [typeof(decimal)] = SequenceFactory.For<decimal>(),
        [typeof(decimal?)] = SequenceFactory.For<decimal?>(),
        [typeof(DateTime)] = SequenceFactory.For<DateTime>(),
        [typeof(DateTime?)] = SequenceFactory.For<DateTime?>(),
        [typeof(DateTimeOffset)] = SequenceFactory.For<DateTimeOffset>(),
        [typeof(DateTimeOffset?)] = SequenceFactory.For<DateTimeOffset?>(),
        [typeof(DateOnly)] = SequenceFactory.For<DateOnly>(),
        [typeof(DateOnly?)] = SequenceFactory.For<DateOnly?>(),
        [typeof(TimeOnly)] = SequenceFactory.For<TimeOnly>(),
        [typeof(TimeOnly?)] = SequenceFactory.For<TimeOnly?>(),
        [typeof(Guid)] = SequenceFactory.For<Guid>(),
        [typeof(Guid?)] = SequenceFactory.For<Guid?>(),
    };

    /// <summary>Whether a data property of this type can be stored.</summary>
    public static bool IsSupported(Type type) => IsScalar(type) || TryGetElementType(type, out _);

    /// <summary>A supported scalar type, or its nullable form.</summary>
    public static bool IsScalar(Type type) => s_scalarTypes.ContainsKey(type);

    /// <summary>The element type of a supported array or <see cref="List{T}"/> type.</summary>
    public static bool TryGetElementType(Type type, out Type elementType)
    {
        Type? element = type.IsArray && type.GetArrayRank() == 1
            ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
        elementType = element!;
        return element is not null && IsScalar(element);
    }

    /// <summary>The payload index that serves filters on a property of this type (arrays: their elements' kind).</summary>
    public static PayloadIndexKind IndexKindFor(Type type)
    {
        Type scalar = TryGetElementType(type, out Type element) ? element : type;
        scalar = Nullable.GetUnderlyingType(scalar) ?? scalar;
        if (scalar == typeof(bool))
        {
            return PayloadIndexKind.Bool;
        }
        return IsNumeric(scalar) ? PayloadIndexKind.Numeric : PayloadIndexKind.Keyword;
    }

    /// <summary>Whether the (non-nullable) type is stored as a JSON number.</summary>
    public static bool IsNumeric(Type type) =>
        type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) || type == typeof(ushort)
        || type == typeof(int) || type == typeof(uint) || type == typeof(long) || type == typeof(ulong)
        || type == typeof(float) || type == typeof(double) || type == typeof(decimal);

    /// <summary>Writes a property value as JSON; <see langword="null"/> becomes JSON <c>null</c>.</summary>
    /// <exception cref="NotSupportedException">The value's type is not a supported data type.</exception>
    public static JsonNode? ToJson(object? value)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return JsonValue.Create(s);
            case bool b:
                return JsonValue.Create(b);
            case byte n:
                return JsonValue.Create(n);
            case sbyte n:
                return JsonValue.Create(n);
            case short n:
                return JsonValue.Create(n);
            case ushort n:
                return JsonValue.Create(n);
            case int n:
                return JsonValue.Create(n);
            case uint n:
                return JsonValue.Create(n);
            case long n:
                return JsonValue.Create(n);
            case ulong n:
                return JsonValue.Create(n);
            case float n:
                return JsonValue.Create(n);
            case double n:
                return JsonValue.Create(n);
            case decimal n:
                return JsonValue.Create(n);
            case Guid g:
                return JsonValue.Create(g.ToString("D"));
            case DateTime d:
                return JsonValue.Create(d.ToString("O", CultureInfo.InvariantCulture));
            case DateTimeOffset d:
                return JsonValue.Create(FormatDateTimeOffset(d));
            case DateOnly d:
                return JsonValue.Create(d.ToString("O", CultureInfo.InvariantCulture));
            case TimeOnly t:
                return JsonValue.Create(t.ToString("O", CultureInfo.InvariantCulture));
            case IEnumerable sequence when TryGetElementType(value.GetType(), out _):
                var array = new JsonArray();
                foreach (object? element in sequence)
                {
                    array.Add(ToJson(element));
                }
                return array;
            default:
                throw new NotSupportedException($"VectLite cannot store a value of type '{value.GetType()}'. Supported data property types: {SupportedDataTypes}.");
        }
    }

    /// <summary>Reads a stored value back as <paramref name="type"/>; a missing value or JSON <c>null</c> reads as <see langword="null"/>.</summary>
    /// <exception cref="InvalidOperationException">The stored JSON does not hold a value of that type.</exception>
    public static object? FromJson(JsonNode? node, Type type, string storageName)
    {
        if (node is null || node.GetValueKind() == JsonValueKind.Null)
        {
            return null;
        }
        try
        {
            if (TryGetElementType(type, out Type elementType))
            {
                return ReadSequence(node.AsArray(), type, elementType, storageName);
            }
            return ReadScalar(node, Nullable.GetUnderlyingType(type) ?? type);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"The stored value of field '{storageName}' ({node.ToJsonString()}) cannot be read as {type.Name}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// The filter operand that compares equal to what <see cref="ToJson"/> stores for <paramref name="value"/>.
    /// <see cref="DateTime"/> values need the translator's prefix handling (see <see cref="DateTimeWallClock"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The value's type is not a supported scalar type.</exception>
    public static FilterValue ToFilterValue(object? value) => value switch
    {
        null => FilterValue.Null,
        string s => s,
        bool b => b,
        byte n => (long)n,
        sbyte n => (long)n,
        short n => (long)n,
        ushort n => (long)n,
        int n => (long)n,
        uint n => (long)n,
        long n => n,
        ulong n => n <= long.MaxValue ? (long)n : (double)n,
        // Parse the same shortest round-trip text the JSON writer stores, so equality holds (see the class remarks).
        float n => double.Parse(n.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        double n => n,
        decimal n => double.Parse(n.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        Guid g => g.ToString("D"),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset d => FormatDateTimeOffset(d),
        DateOnly d => d.ToString("O", CultureInfo.InvariantCulture),
        TimeOnly t => t.ToString("O", CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException($"VectLite filters cannot compare values of type '{value.GetType()}'. Supported: {SupportedDataTypes}."),
    };

    /// <summary>The fixed-width wall-clock prefix of a stored <see cref="DateTime"/>, whatever its kind.</summary>
    public static string DateTimeWallClock(DateTime value) =>
        new DateTime(value.Ticks, DateTimeKind.Unspecified).ToString("O", CultureInfo.InvariantCulture);

    /// <summary>
    /// Every stored form of a <see cref="DateTime"/> with the same ticks as <paramref name="value"/>: unspecified,
    /// UTC and local kind. .NET's <c>==</c> ignores the kind, so equality must accept all three.
    /// </summary>
    public static FilterValue[] DateTimeStoredForms(DateTime value)
    {
        string wallClock = DateTimeWallClock(value);
        return [wallClock, wallClock + "Z", new DateTime(value.Ticks, DateTimeKind.Local).ToString("O", CultureInfo.InvariantCulture)];
    }

    /// <summary>
    /// The largest stored form with <paramref name="value"/>'s wall clock: its "Z" form, because the kind suffixes
    /// are "", "Z" and "+hh:mm"/"-hh:mm", and 'Z' sorts after '+' and '-'.
    /// </summary>
    public static string DateTimeUpperForm(DateTime value) => DateTimeWallClock(value) + "Z";

    // The engine's sortable form, so connector records and engine filters (Filter.Gt("At", instant)) agree.
    private static string FormatDateTimeOffset(DateTimeOffset value) => SortableDateTime.Format(value);

    private static object ReadSequence(JsonArray array, Type type, Type elementType, string storageName)
    {
        SequenceFactory factory = s_scalarTypes[elementType];
        if (type.IsArray)
        {
            Array result = factory.NewArray(array.Count);
            for (int i = 0; i < array.Count; i++)
            {
                result.SetValue(FromJson(array[i], elementType, storageName), i);
            }
            return result;
        }
        IList list = factory.NewList(array.Count);
        foreach (JsonNode? element in array)
        {
            list.Add(FromJson(element, elementType, storageName));
        }
        return list;
    }

    private static object ReadScalar(JsonNode node, Type type)
    {
        if (type == typeof(string))
        {
            return node.GetValue<string>();
        }
        if (type == typeof(bool))
        {
            return node.GetValue<bool>();
        }
        if (IsNumeric(type))
        {
            return ReadNumber(node, type);
        }

        string text = node.GetValue<string>();
        if (type == typeof(Guid))
        {
            return Guid.ParseExact(text, "D");
        }
        if (type == typeof(DateTime))
        {
            return DateTime.ParseExact(text, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        }
        if (type == typeof(DateTimeOffset))
        {
            return DateTimeOffset.ParseExact(text, "O", CultureInfo.InvariantCulture);
        }
        if (type == typeof(DateOnly))
        {
            return DateOnly.ParseExact(text, "O", CultureInfo.InvariantCulture);
        }
        if (type == typeof(TimeOnly))
        {
            return TimeOnly.ParseExact(text, "O", CultureInfo.InvariantCulture);
        }
        throw new NotSupportedException($"VectLite cannot read a value of type '{type}'. Supported data property types: {SupportedDataTypes}.");
    }

    private static object ReadNumber(JsonNode node, Type type)
    {
        if (node.GetValueKind() != JsonValueKind.Number)
        {
            throw new InvalidOperationException($"expected a JSON number, found {node.GetValueKind()}");
        }
        return type switch
        {
            _ when type == typeof(byte) => node.GetValue<byte>(),
            _ when type == typeof(sbyte) => node.GetValue<sbyte>(),
            _ when type == typeof(short) => node.GetValue<short>(),
            _ when type == typeof(ushort) => node.GetValue<ushort>(),
            _ when type == typeof(int) => node.GetValue<int>(),
            _ when type == typeof(uint) => node.GetValue<uint>(),
            _ when type == typeof(long) => node.GetValue<long>(),
            _ when type == typeof(ulong) => node.GetValue<ulong>(),
            _ when type == typeof(float) => node.GetValue<float>(),
            _ when type == typeof(double) => node.GetValue<double>(),
            _ => node.GetValue<decimal>(),
        };
    }

    /// <summary>Creates the array and list types of one element type, with their sizes known up front.</summary>
    private sealed record SequenceFactory(Func<int, Array> NewArray, Func<int, IList> NewList)
    {
        public static SequenceFactory For<T>() => new(count => new T[count], count => new List<T>(count));
    }
}
