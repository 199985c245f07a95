using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Tests.Api;

/// <summary>POCO payloads through System.Text.Json: source-generated (AOT-safe) and reflection forms.</summary>
public sealed class TypedPayloadTests
{
    [Fact]
    public void A_poco_is_written_as_a_json_object_and_read_back_from_get_scroll_and_search()
    {
        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        var book = new Book { Title = "Dune", Year = 1965, Tags = ["sf", "classic"] };
        Record record = new Record(1, new float[] { 1, 0 }).WithPayload(book, ApiJson.Default.Book);
        Assert.Equal("""{"Title":"Dune","Year":1965,"Tags":["sf","classic"]}""", record.Payload!.ToJsonString());
        c.Upsert(record);

        Book? fromGet = c.Get(1)!.GetPayload(ApiJson.Default.Book);
        Assert.Equal(("Dune", 1965), (fromGet!.Title, fromGet.Year));
        Assert.Equal(["sf", "classic"], fromGet.Tags);
        Assert.Equal("Dune", c.Scroll().Records[0].GetPayload(ApiJson.Default.Book)!.Title);
        SearchHit hit = c.Search(new float[] { 1, 0 })[0];
        Assert.Equal(1965, hit.GetPayload(ApiJson.Default.Book)!.Year);

        // Filters see the serialized fields.
        Assert.Equal(1, c.Count(Filter.Eq("Year", 1965) & Filter.Eq("Tags", FilterValue.ArrayOf("sf", "classic"))));
    }

    [Fact]
    public void No_payload_reads_as_default_and_null_clears_it()
    {
        var record = new Record(1) { Payload = new JsonObject { ["Title"] = "x" } };
        Assert.Null(record.WithPayload<Book>(null!, ApiJson.Default.Book).Payload);
        Assert.Null(record.GetPayload(ApiJson.Default.Book));
        Assert.Equal(0, record.GetPayload(ApiJson.Default.Int32));

        using Database db = Database.OpenInMemory();
        Collection c = db.CreateCollection("c", CollectionSchema.SingleVector(2, Metric.L2));
        c.Upsert(new Record(1, new float[] { 1, 0 }, new JsonObject { ["Title"] = "t" }));
        Assert.Null(c.Search(new float[] { 1, 0 }, new SearchOptions { IncludePayload = false })[0].GetPayload(ApiJson.Default.Book));
    }

    [Fact]
    public void A_value_that_is_not_an_object_is_an_invalid_record_and_a_mismatch_a_json_error()
    {
        var ex = Assert.Throws<InvalidRecordException>(() => new Record(1).WithPayload(5, ApiJson.Default.Int32));
        Assert.Contains("JSON object", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentNullException>(() => new Record(1).WithPayload(new Book(), (System.Text.Json.Serialization.Metadata.JsonTypeInfo<Book>)null!));

        var record = new Record(1) { Payload = new JsonObject { ["Year"] = "not a number" } };
        Assert.Throws<JsonException>(() => record.GetPayload(ApiJson.Default.Book));
    }

    [Fact]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Tests the reflection overloads on purpose.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Tests the reflection overloads on purpose.")]
    public void The_reflection_overloads_agree_with_the_generated_ones()
    {
        var book = new Book { Title = "Emma", Year = 1815 };
        Record generated = new Record(1).WithPayload(book, ApiJson.Default.Book);
        Record reflected = new Record(1).WithPayload(book);
        Assert.Equal(generated.Payload!.ToJsonString(), reflected.Payload!.ToJsonString());
        Assert.Equal("Emma", reflected.GetPayload<Book>()!.Title);
        var camel = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Assert.Equal(1815, (int)new Record(2).WithPayload(book, camel).Payload!["year"]!);
    }
}
