using VectLite.Tests.Engine;

namespace VectLite.Tests.Quantization;

/// <summary>Bad quantization settings are typed errors that name the problem; the setting is stored and compared as schema.</summary>
public sealed class QuantizationSchemaTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(0.5f, "oversampling 0.5 is invalid")]
    [InlineData(-1f, "oversampling -1 is invalid")]
    [InlineData(101f, "oversampling 101 is invalid")]
    [InlineData(float.NaN, "oversampling NaN is invalid")]
    public void An_invalid_oversampling_is_a_schema_error_naming_it(float oversampling, string expected)
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("img", 8, Metric.L2,
            new QuantizationOptions { Kind = QuantizationKind.Sq8, Oversampling = oversampling }));
        Assert.Contains("'img'", ex.Message);
        Assert.Contains(expected, ex.Message);
        Assert.Equal(VectLiteErrorCode.InvalidSchema, ex.Code);
    }

    [Fact]
    public void An_unknown_kind_is_a_schema_error_naming_it()
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("img", 8, Metric.L2,
            new QuantizationOptions { Kind = (QuantizationKind)7 }));
        Assert.Contains("quantization kind 7 is unknown", ex.Message);
    }

    [Fact]
    public void Oversampling_without_a_kind_is_a_schema_error()
    {
        var ex = Assert.Throws<SchemaException>(() => new CollectionSchema().AddVector("img", 8, Metric.L2, new QuantizationOptions { Oversampling = 3 }));
        Assert.Contains("the kind is None", ex.Message);
    }

    [Fact]
    public void The_quantization_is_stored_and_a_different_request_names_the_difference()
    {
        var schema = new CollectionSchema().AddVector("img", 8, Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Binary, Oversampling = 6 });
        using (Database db = _temp.Open())
        {
            db.CreateCollection("c", schema);
        }
        using (Database db = _temp.Open())
        {
            VectorSpec stored = db.GetCollection("c")!.Schema.Vectors[0];
            Assert.Equal(QuantizationKind.Binary, stored.Quantization.Kind);
            Assert.Equal(6f, stored.Quantization.Oversampling);
            Assert.Same(db.GetCollection("c")!.Engine, db.GetOrCreateCollection("c", schema).Engine); // same schema: no error
            var ex = Assert.Throws<SchemaException>(() => db.GetOrCreateCollection("c",
                new CollectionSchema().AddVector("img", 8, Metric.L2, new QuantizationOptions { Kind = QuantizationKind.Sq8, Oversampling = 4 })));
            Assert.Contains("vector \"img\" quantization Binary (stored) vs Sq8 (requested)", ex.Message);
            Assert.Contains("vector \"img\" quantization oversampling 6 (stored) vs 4 (requested)", ex.Message);
        }
    }
}
