using System.Linq.Expressions;
using Microsoft.Extensions.VectorData;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

public sealed class DataTypeTests : IDisposable
{
    private static readonly DateTimeOffset s_plusTwo = new(2020, 1, 1, 12, 30, 45, TimeSpan.FromHours(2));

    private readonly TempStore _temp = new();

    public void Dispose() => _temp.Dispose();

    public static AllTypes MainRecord() => new()
    {
        Key = "main",
        String = "foo \"quoted\" ünïcode",
        Bool = true,
        Byte = byte.MaxValue,
        SByte = sbyte.MinValue,
        Short = short.MinValue,
        UShort = ushort.MaxValue,
        Int = int.MinValue,
        UInt = uint.MaxValue,
        Long = long.MinValue,
        ULong = ulong.MaxValue,
        Float = 0.1f,
        Double = 1.0 / 3.0,
        Decimal = 79228162514264337593543950335m,
        Guid = new Guid("603840bf-cf91-4521-8b8e-8b6a2e75910a"),
        DateTime = new DateTime(2020, 1, 1, 12, 30, 45, 123, DateTimeKind.Utc).AddTicks(4567),
        DateTimeOffset = s_plusTwo.AddTicks(1234567),
        DateOnly = new DateOnly(2020, 2, 29),
        TimeOnly = new TimeOnly(23, 59, 59, 999).Add(TimeSpan.FromTicks(9)),
        NullableInt = 8,
        NullableDouble = -2.5,
        NullableBool = false,
        NullableGuid = new Guid("e9a97807-8cf0-4741-8ce3-82df676ca0f0"),
        NullableDateTimeOffset = s_plusTwo,
        StringArray = ["a", "b", ""],
        StringList = ["x"],
        IntArray = [1, -2, int.MaxValue],
        DoubleList = [0.5, double.MaxValue],
        GuidArray = [Guid.Empty],
        NullableIntArray = [1, null, 3],
        Vector = new float[] { 1, 2 },
    };

    [Fact]
    public async Task Every_data_type_reads_back_exactly()
    {
        var collection = await Create();
        AllTypes main = MainRecord();
        await collection.UpsertAsync(main);

        AllTypes read = (await collection.GetAsync("main"))!;

        Assert.Equal(main.String, read.String);
        Assert.Equal(main.Bool, read.Bool);
        Assert.Equal(main.Byte, read.Byte);
        Assert.Equal(main.SByte, read.SByte);
        Assert.Equal(main.Short, read.Short);
        Assert.Equal(main.UShort, read.UShort);
        Assert.Equal(main.Int, read.Int);
        Assert.Equal(main.UInt, read.UInt);
        Assert.Equal(main.Long, read.Long);
        Assert.Equal(main.ULong, read.ULong);
        Assert.Equal(main.Float, read.Float);
        Assert.Equal(main.Double, read.Double);
        Assert.Equal(main.Decimal, read.Decimal);
        Assert.Equal(main.Guid, read.Guid);
        Assert.Equal(main.DateTime, read.DateTime);
        Assert.Equal(DateTimeKind.Utc, read.DateTime.Kind);
        Assert.Equal(main.DateTimeOffset, read.DateTimeOffset); // same instant
        Assert.Equal(main.DateOnly, read.DateOnly);
        Assert.Equal(main.TimeOnly, read.TimeOnly);
        Assert.Equal(main.NullableInt, read.NullableInt);
        Assert.Equal(main.NullableDouble, read.NullableDouble);
        Assert.Equal(main.NullableBool, read.NullableBool);
        Assert.Equal(main.NullableGuid, read.NullableGuid);
        Assert.Equal(main.NullableDateTimeOffset, read.NullableDateTimeOffset);
        Assert.Equal(main.StringArray, read.StringArray);
        Assert.Equal(main.StringList, read.StringList);
        Assert.Equal(main.IntArray, read.IntArray);
        Assert.Equal(main.DoubleList, read.DoubleList);
        Assert.Equal(main.GuidArray, read.GuidArray);
        Assert.Equal(main.NullableIntArray, read.NullableIntArray);
        Assert.Null(read.Vector); // not requested
    }

    [Fact]
    public async Task Nulls_read_back_as_nulls()
    {
        var collection = await Create();
        await collection.UpsertAsync(new AllTypes { Key = "nulls", Vector = new float[] { 1, 0 } });

        AllTypes read = (await collection.GetAsync("nulls"))!;

        Assert.Null(read.String);
        Assert.Null(read.NullableInt);
        Assert.Null(read.NullableBool);
        Assert.Null(read.NullableDateTimeOffset);
        Assert.Null(read.StringArray);
        Assert.Null(read.StringList);
        Assert.Equal(0, read.Int);
    }

    [Fact]
    public async Task DateTimeOffset_is_stored_as_its_UTC_instant_in_ISO_8601()
    {
        var collection = await Create();
        await collection.UpsertAsync(new AllTypes { Key = "k", DateTimeOffset = s_plusTwo, Vector = new float[] { 1, 0 } });

        var engine = (Collection)collection.GetService(typeof(Collection))!;
        Assert.Equal("2020-01-01T10:30:45.0000000+00:00", engine.Get("k")!.Payload!["DateTimeOffset"]!.GetValue<string>());
        AllTypes read = (await collection.GetAsync("k"))!;
        Assert.Equal(s_plusTwo, read.DateTimeOffset);
        Assert.Equal(TimeSpan.Zero, read.DateTimeOffset.Offset);
    }

    [Theory]
    [InlineData(nameof(AllTypes.String))]
    [InlineData(nameof(AllTypes.Bool))]
    [InlineData(nameof(AllTypes.Byte))]
    [InlineData(nameof(AllTypes.SByte))]
    [InlineData(nameof(AllTypes.Short))]
    [InlineData(nameof(AllTypes.UShort))]
    [InlineData(nameof(AllTypes.Int))]
    [InlineData(nameof(AllTypes.UInt))]
    [InlineData(nameof(AllTypes.Long))]
    [InlineData(nameof(AllTypes.ULong))]
    [InlineData(nameof(AllTypes.Float))]
    [InlineData(nameof(AllTypes.Double))]
    [InlineData(nameof(AllTypes.Decimal))]
    [InlineData(nameof(AllTypes.Guid))]
    [InlineData(nameof(AllTypes.DateTime))]
    [InlineData(nameof(AllTypes.DateTimeOffset))]
    [InlineData(nameof(AllTypes.DateOnly))]
    [InlineData(nameof(AllTypes.TimeOnly))]
    [InlineData(nameof(AllTypes.NullableInt))]
    [InlineData(nameof(AllTypes.NullableDouble))]
    [InlineData(nameof(AllTypes.NullableGuid))]
    [InlineData(nameof(AllTypes.NullableDateTimeOffset))]
    public async Task Equality_filters_find_the_stored_value_of_every_type(string propertyName)
    {
        var collection = await Create();
        AllTypes main = MainRecord();
        // The other record differs in every property, and the null record holds defaults and nulls.
        var other = new AllTypes
        {
            Key = "other", String = "bar", Bool = false, Byte = 1, SByte = 1, Short = 1, UShort = 1, Int = 1, UInt = 1, Long = 1, ULong = 1,
            Float = 0.2f, Double = 0.25, Decimal = 8.5m, Guid = Guid.NewGuid(), DateTime = new DateTime(2021, 2, 3),
            DateTimeOffset = s_plusTwo.AddDays(1), DateOnly = new DateOnly(2021, 2, 3), TimeOnly = new TimeOnly(1, 2, 3),
            NullableInt = 9, NullableDouble = 9.5, NullableGuid = Guid.NewGuid(), NullableDateTimeOffset = s_plusTwo.AddHours(-1),
            Vector = new float[] { 1, 0 },
        };
        var nulls = new AllTypes { Key = "null", Vector = new float[] { 1, 0 } };
        await collection.UpsertAsync([main, other, nulls]);

        var property = typeof(AllTypes).GetProperty(propertyName)!;
        object? value = property.GetValue(main);
        var r = Expression.Parameter(typeof(AllTypes), "r");
        var equals = Expression.Lambda<Func<AllTypes, bool>>(
            Expression.Equal(Expression.Property(r, property), Expression.Constant(value, property.PropertyType)), r);

        var found = await collection.SearchAsync(new float[] { 1, 0 }, top: 10, new() { Filter = equals }).ToListAsync();
        Assert.Equal("main", Assert.Single(found).Record.Key);
        Assert.Equal("main", Assert.Single(await collection.GetAsync(equals, top: 10).ToListAsync()).Key);

        if (!property.PropertyType.IsValueType || Nullable.GetUnderlyingType(property.PropertyType) is not null)
        {
            var isNull = Expression.Lambda<Func<AllTypes, bool>>(
                Expression.Equal(Expression.Property(r, property), Expression.Constant(null, property.PropertyType)), r);
            Assert.Equal("null", Assert.Single(await collection.GetAsync(isNull, top: 10).ToListAsync()).Key);
        }
    }

    [Fact]
    public async Task DateTime_comparisons_follow_ticks_whatever_the_kind()
    {
        var collection = await Create();
        var noon = new DateTime(2020, 1, 1, 12, 0, 0);
        await collection.UpsertAsync([
            new AllTypes { Key = "unspecified", DateTime = noon, Vector = new float[] { 1, 0 } },
            new AllTypes { Key = "utc", DateTime = DateTime.SpecifyKind(noon, DateTimeKind.Utc), Vector = new float[] { 1, 0 } },
            new AllTypes { Key = "local", DateTime = DateTime.SpecifyKind(noon, DateTimeKind.Local), Vector = new float[] { 1, 0 } },
            new AllTypes { Key = "later", DateTime = noon.AddTicks(1), Vector = new float[] { 1, 0 } },
            new AllTypes { Key = "earlier", DateTime = DateTime.SpecifyKind(noon.AddTicks(-1), DateTimeKind.Utc), Vector = new float[] { 1, 0 } },
        ]);

        var utcNoon = DateTime.SpecifyKind(noon, DateTimeKind.Utc);
        Assert.Equal(["local", "unspecified", "utc"], await Keys(collection, r => r.DateTime == utcNoon));
        Assert.Equal(["earlier", "later"], await Keys(collection, r => r.DateTime != noon));
        Assert.Equal(["later"], await Keys(collection, r => r.DateTime > noon));
        Assert.Equal(["later", "local", "unspecified", "utc"], await Keys(collection, r => r.DateTime >= utcNoon));
        Assert.Equal(["earlier"], await Keys(collection, r => r.DateTime < noon));
        Assert.Equal(["earlier", "local", "unspecified", "utc"], await Keys(collection, r => r.DateTime <= noon));
        Assert.Equal(DateTimeKind.Local, (await collection.GetAsync("local"))!.DateTime.Kind);
        Assert.Equal(DateTimeKind.Unspecified, (await collection.GetAsync("unspecified"))!.DateTime.Kind);
    }

    [Fact]
    public async Task DateTimeOffset_comparisons_follow_the_instant_whatever_the_offset()
    {
        var collection = await Create();
        var instant = new DateTimeOffset(2020, 1, 1, 10, 0, 0, TimeSpan.Zero);
        await collection.UpsertAsync([
            new AllTypes { Key = "same-instant", DateTimeOffset = instant.ToOffset(TimeSpan.FromHours(5)), Vector = new float[] { 1, 0 } },
            // Earlier instant but a later wall clock: a naive "O" string would sort it after the others.
            new AllTypes { Key = "earlier", DateTimeOffset = new DateTimeOffset(2020, 1, 1, 11, 0, 0, TimeSpan.FromHours(3)), Vector = new float[] { 1, 0 } },
            new AllTypes { Key = "later", DateTimeOffset = new DateTimeOffset(2020, 1, 1, 9, 0, 0, TimeSpan.FromHours(-3)), Vector = new float[] { 1, 0 } },
        ]);

        Assert.Equal(["same-instant"], await Keys(collection, r => r.DateTimeOffset == instant));
        Assert.Equal(["later"], await Keys(collection, r => r.DateTimeOffset > instant));
        Assert.Equal(["earlier", "same-instant"], await Keys(collection, r => r.DateTimeOffset <= instant));
        Assert.Equal(["earlier"], await Keys(collection, r => r.DateTimeOffset < new DateTimeOffset(2020, 1, 1, 12, 0, 0, TimeSpan.FromHours(2))));
    }

    [Fact]
    public async Task Numbers_compare_by_value_across_the_stored_forms()
    {
        var collection = await Create();
        await collection.UpsertAsync([
            new AllTypes { Key = "a", Float = 0.1f, Decimal = 0.1m, ULong = (ulong)long.MaxValue + 10, Vector = new float[] { 1, 0 } },
            new AllTypes { Key = "b", Float = 0.3f, Decimal = 0.3m, ULong = 5, Vector = new float[] { 1, 0 } },
        ]);

        Assert.Equal(["a"], await Keys(collection, r => r.Float < 0.2f));
        Assert.Equal(["b"], await Keys(collection, r => r.Decimal >= 0.3m));
        Assert.Equal(["a"], await Keys(collection, r => r.ULong > 1000UL));
        // C# widens the short and the float; the translator accepts widening conversions of a property.
        Assert.Equal(["a", "b"], await Keys(collection, r => r.Short == 0));
        Assert.Equal(["b"], await Keys(collection, r => r.Float > 0.2));
    }

    [Fact]
    public void Unsupported_data_types_are_rejected_when_the_collection_is_created()
    {
        var ex = Assert.Throws<NotSupportedException>(() => _temp.Store.GetCollection<string, WithUnsupportedData>("bad"));
        Assert.Contains("Uri", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<string[]> Keys(VectLiteCollection<string, AllTypes> collection, Expression<Func<AllTypes, bool>> filter) =>
        [.. (await collection.GetAsync(filter, top: 100).ToListAsync()).Select(r => r.Key).Order(StringComparer.Ordinal)];

    private async Task<VectLiteCollection<string, AllTypes>> Create()
    {
        var collection = _temp.Store.GetCollection<string, AllTypes>("all-types");
        await collection.EnsureCollectionExistsAsync();
        return collection;
    }

    public sealed class WithUnsupportedData
    {
        [VectorStoreKey]
        public string Key { get; set; } = "";

        [VectorStoreData]
        public Uri? Link { get; set; }
    }
}
