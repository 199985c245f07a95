using System.Collections;

namespace VectLite.VectorData.Tests;

/// <summary>
/// Arrays and lists of every supported element type read back as the same type with the same values. The codec makes
/// them from a per-type table (no Array.CreateInstance or Activator, for Native AOT), so a type missing from the table
/// or mapped to the wrong one shows up here.
/// </summary>
public sealed class PayloadCodecSequenceTests
{
    public static TheoryData<Array> Sequences() => new(
        new string?[] { "a", null, "" },
        new bool[] { true, false },
        new bool?[] { true, null },
        new byte[] { 0, byte.MaxValue },
        new byte?[] { byte.MaxValue, null },
        new sbyte[] { sbyte.MinValue, sbyte.MaxValue },
        new sbyte?[] { -1, null },
        new short[] { short.MinValue, 7 },
        new short?[] { 7, null },
        new ushort[] { ushort.MaxValue, 0 },
        new ushort?[] { ushort.MaxValue, null },
        new int[] { int.MinValue, int.MaxValue },
        new int?[] { null, 3 },
        new uint[] { uint.MaxValue, 1 },
        new uint?[] { uint.MaxValue, null },
        new long[] { long.MinValue, long.MaxValue },
        new long?[] { long.MaxValue, null },
        new ulong[] { ulong.MaxValue, 0 },
        new ulong?[] { ulong.MaxValue, null },
        new float[] { 0.1f, -2.5f },
        new float?[] { 0.1f, null },
        new double[] { 1.0 / 3.0, double.MaxValue },
        new double?[] { -0.5, null },
        new decimal[] { 0.1m, 79228162514264337593543950335m },
        new decimal?[] { 0.1m, null },
        new DateTime[] { new(2020, 1, 1, 12, 30, 45, DateTimeKind.Utc), new(1999, 12, 31, 23, 59, 59, DateTimeKind.Unspecified) },
        new DateTime?[] { new DateTime(2020, 1, 1, 12, 30, 45, DateTimeKind.Utc), null },
        new DateTimeOffset[] { new(2020, 1, 1, 10, 30, 45, TimeSpan.Zero) },
        new DateTimeOffset?[] { new DateTimeOffset(2020, 1, 1, 10, 30, 45, TimeSpan.Zero), null },
        new DateOnly[] { new(2020, 2, 29) },
        new DateOnly?[] { new DateOnly(2020, 2, 29), null },
        new TimeOnly[] { new(23, 59, 59) },
        new TimeOnly?[] { new TimeOnly(23, 59, 59), null },
        new Guid[] { new("603840bf-cf91-4521-8b8e-8b6a2e75910a") },
        new Guid?[] { new Guid("603840bf-cf91-4521-8b8e-8b6a2e75910a"), null });

    [Theory]
    [MemberData(nameof(Sequences))]
    public void An_array_reads_back_as_the_same_array_type(Array values)
    {
        Type arrayType = values.GetType();
        Assert.True(VectLitePayloadCodec.IsSupported(arrayType));

        object? read = VectLitePayloadCodec.FromJson(VectLitePayloadCodec.ToJson(values), arrayType, "field");

        Assert.IsType(arrayType, read);
        Assert.Equal(values.Cast<object?>(), ((IEnumerable)read!).Cast<object?>());
    }

    [Theory]
    [MemberData(nameof(Sequences))]
    public void A_list_reads_back_as_the_same_list_type(Array values)
    {
        Type listType = typeof(List<>).MakeGenericType(values.GetType().GetElementType()!);
        var list = (IList)Activator.CreateInstance(listType)!;
        foreach (object? value in values)
        {
            list.Add(value);
        }
        Assert.True(VectLitePayloadCodec.IsSupported(listType));

        object? read = VectLitePayloadCodec.FromJson(VectLitePayloadCodec.ToJson(list), listType, "field");

        Assert.IsType(listType, read);
        Assert.Equal(values.Cast<object?>(), ((IEnumerable)read!).Cast<object?>());
    }
}
