using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VectLite.Tests.Api;

/// <summary>
/// Instants stored in VectLite's form (UTC ISO-8601, fixed width) order by time in filters, whatever offset each was
/// written or queried with; with or without a keyword index on the field.
/// </summary>
public sealed class DateTimeOffsetPayloadTests
{
    private static readonly DateTimeOffset[] Instants =
    [
        new(2026, 11, 30, 11, 0, 0, TimeSpan.FromHours(2)),  // 09:00Z
        new(2026, 11, 30, 4, 30, 0, TimeSpan.FromHours(-5)), // 09:30Z
    ];

    [Fact]
    public void The_stored_form_is_utc_fixed_width_and_sorts_by_instant()
    {
        Assert.Equal("2026-11-30T09:00:00.0000000+00:00", SortableDateTime.Format(Instants[0]));
        Assert.Equal("2026-11-30T09:30:00.0000000+00:00", SortableDateTime.Format(Instants[1]));
        Assert.Equal(SortableDateTime.Length, "0001-01-01T00:00:00.0000000+00:00".Length);
        Assert.All(Instants, i => Assert.Equal(SortableDateTime.Length, SortableDateTime.Format(i).Length));
        Assert.True(SortableDateTime.TryParse(SortableDateTime.Format(Instants[1]), out DateTimeOffset back));
        Assert.Equal(Instants[1], back); // the same instant
        Assert.Equal(TimeSpan.Zero, back.Offset);
        Assert.False(SortableDateTime.TryParse("yesterday", out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Range_and_equality_filters_order_by_instant_across_offsets(bool keywordIndex)
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.MetadataOnly());
        if (keywordIndex)
        {
            c.CreatePayloadIndex("at", PayloadIndexKind.Keyword);
        }
        DateTimeOffset[] instants =
        [
            new(2026, 11, 30, 21, 0, 0, TimeSpan.FromHours(-2)),  // 23:00Z
            new(2026, 11, 30, 11, 0, 0, TimeSpan.FromHours(2)),   // 09:00Z
            new(2026, 11, 30, 4, 30, 0, TimeSpan.FromHours(-5)),  // 09:30Z
            new(2026, 11, 30, 8, 59, 0, TimeSpan.Zero),           // 08:59Z
        ];
        for (int i = 0; i < instants.Length; i++)
        {
            c.Upsert(new Record((ulong)i) { Payload = new JsonObject { ["at"] = SortableDateTime.ToJson(instants[i]) } });
        }

        // 10:00 at +01:00 is 09:00Z: comparing wall clocks as written would put record 2 (04:30-05:00) before it and record 1 (11:00+02:00) after it.
        var nineUtc = new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal([0UL, 2], Ids(c, Filter.Gt("at", nineUtc)));
        Assert.Equal([0UL, 1, 2], Ids(c, Filter.Gte("at", nineUtc)));
        Assert.Equal([3UL], Ids(c, Filter.Lt("at", nineUtc)));
        Assert.Equal([1UL], Ids(c, Filter.Eq("at", nineUtc)));
        Assert.Equal([1UL, 3], Ids(c, Filter.In("at", new[] { nineUtc, new DateTimeOffset(2026, 11, 30, 3, 59, 0, TimeSpan.FromHours(-5)) })));
        Assert.Equal([1UL], Ids(c, Filter.Parse($$"""{"at": "{{SortableDateTime.Format(nineUtc)}}"}""")));
    }

    [Fact]
    public void Typed_payloads_store_instants_in_the_sortable_form_with_the_converter()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.MetadataOnly());
        var early = new Event("early", new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.FromHours(5))); // 07:00Z
        var late = new Event("late", new DateTimeOffset(2026, 1, 1, 8, 0, 0, TimeSpan.FromHours(0)));    // 08:00Z
        c.Upsert(new Record(1).WithPayload(early, ApiJson.Default.Event));
        c.Upsert(new Record(2).WithPayload(late, ApiJson.Default.Event));

        Assert.Equal("2026-01-01T07:00:00.0000000+00:00", (string?)c.Get(1)!.Payload!["At"]);
        Assert.Equal([2UL], Ids(c, Filter.Gt("At", new DateTimeOffset(2026, 1, 1, 7, 30, 0, TimeSpan.Zero))));
        Event? read = c.Get(1)!.GetPayload(ApiJson.Default.Event);
        Assert.Equal(early.At, read!.At);
        Assert.Equal("early", read.Name);
    }

    [Fact]
    public void The_converter_rejects_what_is_not_an_instant()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"Name":"x","At":5}""", ApiJson.Default.Event));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize("""{"Name":"x","At":"soon"}""", ApiJson.Default.Event));
    }

    private static ulong[] Ids(Collection c, Filter filter) =>
        [.. c.Scroll(new ScrollOptions { Filter = filter, Limit = 100 }).Records.Select(r => r.Id.AsNumber).Order()];
}

/// <summary>A typed payload with an instant.</summary>
public sealed record Event(string Name, DateTimeOffset At);

/// <summary>A typed payload for the typed-payload tests.</summary>
public sealed class Book
{
    public string Title { get; set; } = "";

    public int Year { get; set; }

    public string[] Tags { get; set; } = [];
}

/// <summary>Source-generated metadata for the test payloads, with VectLite's sortable instants.</summary>
[JsonSourceGenerationOptions(Converters = [typeof(SortableDateTimeOffsetConverter)])]
[JsonSerializable(typeof(Event))]
[JsonSerializable(typeof(Book))]
[JsonSerializable(typeof(int))]
internal sealed partial class ApiJson : JsonSerializerContext;
