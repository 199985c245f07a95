using VectLite.Indexing;
using VectLite.Vectors;

namespace VectLite.Tests.Indexing;

public sealed class HnswParametersTests
{
    [Fact]
    public void Presets_are_valid_and_have_the_documented_values()
    {
        HnswParameters.Default.Validate();
        HnswParameters.HighRecall.Validate();
        HnswParameters.Fast.Validate();
        Assert.Equal((16, 200, 0), (HnswParameters.Default.M, HnswParameters.Default.EfConstruction, HnswParameters.Default.EfSearch));
        Assert.Equal((16, 400, 200), (HnswParameters.HighRecall.M, HnswParameters.HighRecall.EfConstruction, HnswParameters.HighRecall.EfSearch));
        Assert.Equal((16, 100, 40), (HnswParameters.Fast.M, HnswParameters.Fast.EfConstruction, HnswParameters.Fast.EfSearch));
        Assert.Equal(HnswParameters.DefaultSeed, new HnswParameters().Seed);
        Assert.Equal(32, HnswParameters.Default.MaxLinks0);
    }

    [Theory]
    [InlineData(1, 200, 0, "M")]
    [InlineData(101, 200, 0, "M")]
    [InlineData(16, 15, 0, "EfConstruction")]
    [InlineData(16, 10_001, 0, "EfConstruction")]
    [InlineData(16, 200, -1, "EfSearch")]
    [InlineData(16, 200, 10_001, "EfSearch")]
    public void Validate_names_the_parameter_out_of_range(int m, int efConstruction, int efSearch, string name)
    {
        var parameters = new HnswParameters(m, efConstruction, efSearch);
        ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(parameters.Validate);
        Assert.Equal(name, e.ParamName);
    }

    [Theory]
    [InlineData(2, 2, 1)]
    [InlineData(100, 10_000, 10_000)]
    public void Validate_accepts_the_bounds(int m, int efConstruction, int efSearch) =>
        new HnswParameters(m, efConstruction, efSearch).Validate();

    [Fact]
    public void Default_struct_is_invalid() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => default(HnswParameters).Validate());

    [Theory]
    [InlineData(0, 0, 10, 40)]
    [InlineData(0, 0, 50, 100)]
    [InlineData(0, 0, 1, 40)]
    [InlineData(64, 0, 10, 64)]
    [InlineData(64, 0, 100, 100)]
    [InlineData(64, 16, 10, 16)]
    [InlineData(0, 16, 10, 16)]
    [InlineData(0, 5, 10, 10)]
    public void EffectiveEf_prefers_the_request_then_the_setting_then_the_automatic_size_and_is_never_below_k(int efSearch, int requested, int k, int expected) =>
        Assert.Equal(expected, new HnswParameters(16, 200, efSearch).EffectiveEf(k, requested));

    [Fact]
    public void Graph_constructor_validates_its_parameters()
    {
        using var arena = new VectorArena(4);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswGraph(arena, Metric.L2, new HnswParameters(1, 200, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HnswGraph(arena, (Metric)42, HnswParameters.Default));
        Assert.Throws<ArgumentNullException>(() => new HnswGraph(null!, Metric.L2, HnswParameters.Default));
    }
}
