using System.Text.Json.Nodes;
using VectLite.Tests.Engine;

namespace VectLite.Tests.Reliability;

/// <summary>
/// Defects 5-7 of the reliability audit: strings that change on the way to disk, a TTL too long for the calendar, and
/// inputs that were accepted silently and made wrong answers. Each is now a typed error naming the problem, raised
/// before anything reaches the log.
/// </summary>
public sealed class InputValidationTests : IDisposable
{
    private const string LoneHigh = "\uD800x";
    private const string LoneLow = "a\uDC00";

    private readonly TempDatabase _temp = new();
    private readonly Database _db;
    private readonly Collection _docs;

    public InputValidationTests()
    {
        _db = _temp.Open();
        _docs = _db.CreateCollection("docs", CollectionSchema.SingleVector(2, Metric.L2));
        _docs.Upsert(new Record(1, new float[] { 1, 0 }, new JsonObject { ["s"] = "x" }));
    }

    public void Dispose()
    {
        _db.Dispose();
        _temp.Dispose();
    }

    private long WalLength => new FileInfo(Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal")).Length;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Ids_with_unpaired_surrogates_are_rejected(int which)
    {
        // Built here, not in the attribute: test discovery serialises attribute strings and mangles lone surrogates.
        string id = new[] { LoneHigh, LoneLow, "\uDC00\uD800" /* a reversed pair */ }[which];
        var ex = Assert.Throws<InvalidRecordException>(() => new RecordId(id));
        Assert.Contains("unpaired UTF-16 surrogate", ex.Message);
        Assert.Throws<InvalidRecordException>(() => _docs.Upsert(new Record(id, new float[] { 1, 0 })));
    }

    [Fact]
    public void Namespaces_with_unpaired_surrogates_are_rejected_everywhere_they_enter()
    {
        long before = WalLength;
        Assert.Throws<InvalidNameException>(() => _docs.Upsert(new Record(2, new float[] { 1, 0 }) { Namespace = LoneHigh }));
        Assert.Throws<InvalidNameException>(() => _docs.Delete(1, LoneLow));
        Assert.Throws<InvalidNameException>(() => _docs.Get(1, LoneLow));
        Assert.Throws<InvalidNameException>(() => _docs.Search(new float[] { 1, 0 }, new SearchOptions { Namespace = LoneHigh }));
        Assert.Equal(before, WalLength);
    }

    [Fact]
    public void Payload_keys_and_strings_with_unpaired_surrogates_are_rejected_with_their_path()
    {
        long before = WalLength;
        var value = Assert.Throws<InvalidRecordException>(() => _docs.Upsert(new Record(2, new float[] { 1, 0 },
            new JsonObject { ["ok"] = "fine", ["tags"] = new JsonArray("a", LoneHigh) })));
        Assert.Contains("$.tags[1]", value.Message);

        var key = Assert.Throws<InvalidRecordException>(() => _docs.Upsert(new Record(2, new float[] { 1, 0 },
            new JsonObject { ["meta"] = new JsonObject { [LoneLow] = 1 } })));
        Assert.Contains("key", key.Message);

        Assert.Throws<InvalidRecordException>(() => _docs.UpdatePayload(1, new JsonObject { ["s"] = LoneLow }));
        Assert.Equal(before, WalLength);
        Assert.Equal("{\"s\":\"x\"}", _docs.Get(1)!.Payload!.ToJsonString());
    }

    [Fact]
    public void Well_formed_text_outside_the_basic_plane_and_a_real_replacement_character_round_trip()
    {
        const string text = "emoji \U0001F600 and \uFFFD";
        _docs.Upsert(new Record("id-\U0001F600", new float[] { 1, 0 }, new JsonObject { [text] = text }) { Namespace = "ns-\U0001F600" });
        _db.Dispose();
        using Database reopened = _temp.Open();
        Record? back = reopened.GetCollection("docs").Get("id-\U0001F600", "ns-\U0001F600");
        Assert.NotNull(back);
        Assert.Equal(text, back.Payload![text]!.GetValue<string>());
    }

    [Fact]
    public void Filter_values_and_keys_with_unpaired_surrogates_are_filter_errors()
    {
        Assert.Throws<ArgumentException>(() => Filter.Eq("s", LoneHigh));
        Assert.Throws<FilterParseException>(() => Filter.Parse("{\"s\": \"\\ud800x\"}"));
        Assert.Throws<FilterParseException>(() => Filter.Parse("{\"\\udc00\": 1}"));
        Assert.Contains("surrogate", Assert.Throws<SchemaException>(() => _docs.CreatePayloadIndex("a.\uD800", PayloadIndexKind.Keyword)).Message);
    }

    [Fact]
    public void A_time_to_live_too_long_for_the_calendar_means_never_expiring()
    {
        _docs.Upsert(new Record(2, new float[] { 1, 0 }) { TimeToLive = TimeSpan.MaxValue });
        Assert.Equal(DateTimeOffset.MaxValue, _docs.Get(2)!.ExpiresAt);
        Assert.True(_docs.SetTimeToLive(1, TimeSpan.MaxValue));
        Assert.Equal(DateTimeOffset.MaxValue, _docs.Get(1)!.ExpiresAt);
        Assert.Equal(2, _docs.Count());
    }

    [Theory]
    [InlineData(Metric.L2)]
    [InlineData(Metric.Dot)]
    [InlineData(Metric.L1)]
    public void Vectors_whose_distances_would_overflow_are_rejected_in_writes_and_queries(Metric metric)
    {
        Collection c = _db.CreateCollection("m" + metric, CollectionSchema.SingleVector(2, metric));
        var ex = Assert.Throws<InvalidVectorException>(() => c.Upsert(new Record(1, new float[] { 3e38f, 3e38f })));
        Assert.Contains("norm", ex.Message);
        Assert.Throws<InvalidVectorException>(() => c.Search(new float[] { 3e38f, 0 }));

        // The largest accepted norm (sqrt(float.MaxValue / 8) ~ 6.5e18) still scores finitely against its opposite.
        float big = 4.5e18f;
        c.Upsert(new Record(1, new float[] { big, big }));
        c.Upsert(new Record(2, new float[] { -big, -big }));
        IReadOnlyList<SearchHit> hits = c.Search(new float[] { big, big }, new SearchOptions { TopK = 2, Exact = true });
        Assert.All(hits, h => Assert.True(float.IsFinite(h.Score), $"score {h.Score}"));
    }

    [Fact]
    public void Cosine_vectors_of_any_finite_size_are_accepted()
    {
        Collection c = _db.CreateCollection("cos", CollectionSchema.SingleVector(2, Metric.Cosine));
        c.Upsert(new Record(1, new float[] { 3e38f, 3e38f }));
        Assert.Equal(1f, c.Search(new float[] { 1, 1 })[0].Score, 5);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(10_001)]
    public void An_ef_out_of_range_is_an_argument_error(int ef)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _docs.Search(new float[] { 1, 0 }, new SearchOptions { Ef = ef }));
        Assert.Contains("Ef", ex.Message);
    }

    [Fact]
    public void A_NaN_score_threshold_is_an_argument_error()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _docs.Search(new float[] { 1, 0 }, new SearchOptions { ScoreThreshold = float.NaN }));
        Assert.Contains("ScoreThreshold", ex.Message);
    }

    [Fact]
    public void Cursors_that_scroll_never_made_are_argument_errors()
    {
        Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Cursor = new string('A', 100_000) }));
        string real = _docs.Scroll(new ScrollOptions { Limit = 1 }) is { NextCursor: { } c } ? c : MakeCursorOfTwoRecords();
        Assert.Throws<ArgumentException>(() => _docs.Scroll(new ScrollOptions { Cursor = real + "AAAA" })); // trailing bytes
    }

    private string MakeCursorOfTwoRecords()
    {
        _docs.Upsert(new Record(2, new float[] { 0, 1 }));
        return _docs.Scroll(new ScrollOptions { Limit = 1 }).NextCursor!;
    }

    [Theory]
    [InlineData("con")]
    [InlineData("CON")]
    [InlineData("nul.db")]
    [InlineData("Aux")]
    [InlineData("prn")]
    [InlineData("com1")]
    [InlineData("LPT9.x")]
    [InlineData("trailing.")]
    public void Collection_names_Windows_cannot_create_are_rejected(string name)
    {
        Assert.Throws<InvalidNameException>(() => _db.CreateCollection(name, CollectionSchema.SingleVector(2)));
        Assert.False(Directory.Exists(_temp.CollectionDirectory(name)));
    }

    [Theory]
    [InlineData("console")]
    [InlineData("com0")]
    [InlineData("com10")]
    [InlineData("lpt")]
    [InlineData("nullable")]
    public void Names_that_only_resemble_device_names_are_allowed(string name)
    {
        Assert.Equal(name, _db.CreateCollection(name, CollectionSchema.SingleVector(2)).Name);
    }
}
