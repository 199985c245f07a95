using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace VectLite.VectorData.Tests.Support;

/// <summary>The record most filter and search tests use: an int key, indexed and plain data, one 4-d vector.</summary>
public sealed class Hotel
{
    [VectorStoreKey]
    public int Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string? Name { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public int Rating { get; set; }

    [VectorStoreData]
    public double Price { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public bool IsOpen { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string[] Tags { get; set; } = [];

    [VectorStoreData]
    public List<int> Floors { get; set; } = [];

    [VectorStoreData]
    public int? Stars { get; set; }

    [VectorStoreData]
    public DateTimeOffset Opened { get; set; }

    [VectorStoreData]
    public DateTime Inspected { get; set; }

    [VectorStoreVector(4, DistanceFunction = DistanceFunction.EuclideanDistance)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}

/// <summary>A record generic in its key type, for the key-type tests.</summary>
public sealed class KeyedRecord<TKey>
{
    [VectorStoreKey]
    public TKey Key { get; set; } = default!;

    [VectorStoreData]
    public string? Text { get; set; }

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.DotProductSimilarity)]
    public float[]? Vector { get; set; }
}

/// <summary>One property of every supported data type, plain, nullable and as collections.</summary>
public sealed class AllTypes
{
    [VectorStoreKey]
    public string Key { get; set; } = "";

    [VectorStoreData] public string? String { get; set; }
    [VectorStoreData] public bool Bool { get; set; }
    [VectorStoreData] public byte Byte { get; set; }
    [VectorStoreData] public sbyte SByte { get; set; }
    [VectorStoreData] public short Short { get; set; }
    [VectorStoreData] public ushort UShort { get; set; }
    [VectorStoreData] public int Int { get; set; }
    [VectorStoreData] public uint UInt { get; set; }
    [VectorStoreData] public long Long { get; set; }
    [VectorStoreData] public ulong ULong { get; set; }
    [VectorStoreData] public float Float { get; set; }
    [VectorStoreData] public double Double { get; set; }
    [VectorStoreData] public decimal Decimal { get; set; }
    [VectorStoreData] public Guid Guid { get; set; }
    [VectorStoreData] public DateTime DateTime { get; set; }
    [VectorStoreData] public DateTimeOffset DateTimeOffset { get; set; }
    [VectorStoreData] public DateOnly DateOnly { get; set; }
    [VectorStoreData] public TimeOnly TimeOnly { get; set; }

    [VectorStoreData] public int? NullableInt { get; set; }
    [VectorStoreData] public double? NullableDouble { get; set; }
    [VectorStoreData] public bool? NullableBool { get; set; }
    [VectorStoreData] public Guid? NullableGuid { get; set; }
    [VectorStoreData] public DateTimeOffset? NullableDateTimeOffset { get; set; }

    [VectorStoreData] public string[]? StringArray { get; set; }
    [VectorStoreData] public List<string>? StringList { get; set; }
    [VectorStoreData] public int[]? IntArray { get; set; }
    [VectorStoreData] public List<double>? DoubleList { get; set; }
    [VectorStoreData] public Guid[]? GuidArray { get; set; }
    [VectorStoreData] public int?[]? NullableIntArray { get; set; }

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.DotProductSimilarity)]
    public ReadOnlyMemory<float>? Vector { get; set; }
}

/// <summary>Two named vectors with different distance functions and vector types.</summary>
public sealed class MultiVector
{
    [VectorStoreKey]
    public long Id { get; set; }

    [VectorStoreData]
    public string? Title { get; set; }

    [VectorStoreVector(3, DistanceFunction = DistanceFunction.EuclideanDistance, StorageName = "text_vector")]
    public ReadOnlyMemory<float> TextVector { get; set; }

    [VectorStoreVector(2, DistanceFunction = DistanceFunction.DotProductSimilarity)]
    public Embedding<float>? ImageVector { get; set; }
}

/// <summary>A record with no vector at all: a metadata-only collection.</summary>
public sealed class NoVector
{
    [VectorStoreKey]
    public Guid Id { get; set; }

    [VectorStoreData(IsIndexed = true)]
    public string? Category { get; set; }

    [VectorStoreData]
    public int Count { get; set; }
}

/// <summary>A record whose vector is generated from its text.</summary>
public sealed class Note
{
    [VectorStoreKey]
    public string Id { get; set; } = "";

    [VectorStoreData]
    public string? Category { get; set; }

    [VectorStoreVector(4, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public string? Text { get; set; }
}
