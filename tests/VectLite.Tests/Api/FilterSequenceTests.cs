namespace VectLite.Tests.Api;

/// <summary><c>Filter.In</c>/<c>Nin</c> take the sequences a caller holds, for every value type they take one by one.</summary>
public sealed class FilterSequenceTests
{
    [Fact]
    public void Sequences_build_the_same_filter_as_the_values_one_by_one()
    {
        Assert.Equal(Filter.In("f", "a", "b"), Filter.In("f", new List<string> { "a", "b" }));
        Assert.Equal(Filter.In("f", 1, 2), Filter.In("f", new HashSet<int> { 1, 2 }));
        Assert.Equal(Filter.In("f", 1L << 60, 2L), Filter.In("f", new[] { 1L << 60, 2L }.AsEnumerable()));
        Assert.Equal(Filter.In("f", 0.5, 2.5), Filter.In("f", new List<double> { 0.5, 2.5 }));
        Assert.Equal(Filter.In("f", 0.25f), Filter.In("f", new List<float> { 0.25f }));
        Assert.Equal(Filter.In("f", true), Filter.In("f", new List<bool> { true }));
        Assert.Equal(Filter.In("f", "x", 3), Filter.In("f", new List<FilterValue> { "x", 3 }));
        Assert.Equal(Filter.Nin("f", "a", "b"), Filter.Nin("f", Enumerable.Range(0, 2).Select(i => ((char)('a' + i)).ToString())));
        Assert.Equal(Filter.Nin("f", 1, 2), Filter.Nin("f", Enumerable.Range(1, 2)));
        var at = new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.FromHours(2));
        Assert.Equal("""{"f":{"$in":["2026-11-30T16:00:00.0000000+00:00"]}}""", Filter.In("f", new List<DateTimeOffset> { at }).ToJson());

        // Collection expressions keep binding to the params form.
        Assert.Equal(Filter.In("f", "a", "b"), Filter.In("f", ["a", "b"]));
        Assert.Equal("""{"f":{"$in":[]}}""", Filter.In("f", []).ToJson());
    }

    [Fact]
    public void Sequence_filters_select_the_matching_records()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.MetadataOnly());
        for (int i = 0; i < 6; i++)
        {
            c.Upsert(new Record((ulong)i) { Payload = new() { ["n"] = i, ["s"] = $"v{i}" } });
        }

        IEnumerable<int> wanted = new[] { 1, 4, 9 }.Where(n => n > 0); // a lazy query, enumerated once
        Assert.Equal(2, c.Count(Filter.In("n", wanted)));
        Assert.Equal(4, c.Count(Filter.Nin("n", wanted)));
        Assert.Equal(1, c.Count(Filter.In("s", new SortedSet<string> { "v5", "zz" })));
    }

    [Fact]
    public void Bad_sequences_are_argument_errors()
    {
        Assert.Throws<ArgumentNullException>(() => Filter.In("f", (IEnumerable<string>)null!));
        Assert.Throws<ArgumentNullException>(() => Filter.Nin("f", (IEnumerable<FilterValue>)null!));
        Assert.Throws<ArgumentException>(() => Filter.In("f", new List<double> { 1, double.NaN }));
        Assert.Throws<ArgumentException>(() => Filter.In("", new List<int> { 1 }));
    }
}
