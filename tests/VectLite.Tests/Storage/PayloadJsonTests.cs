using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// How a payload becomes the UTF-8 JSON the log and the records file hold: the depth limit, and the walk that finds an
/// unpaired surrogate (which the JSON writer would silently turn into U+FFFD) wherever it is, arrays included, without
/// refusing a real U+FFFD. Expected texts are literals.
/// </summary>
public sealed class PayloadJsonTests
{
    private static JsonObject Nest(int levels)
    {
        var root = new JsonObject();
        JsonObject at = root;
        for (int i = 1; i < levels; i++)
        {
            var child = new JsonObject();
            at["a"] = child;
            at = child;
        }
        return root;
    }

    [Fact]
    public void A_real_replacement_character_next_to_arrays_is_stored_as_written()
    {
        var payload = new JsonObject { ["a"] = new JsonArray(1, "x", new JsonArray("y")), ["b"] = "\uFFFD" };
        EncodedPayload encoded = PayloadJson.Encode(payload, "record 7");
        Assert.Equal("{\"a\":[1,\"x\",[\"y\"]],\"b\":\"\\uFFFD\"}", Encoding.UTF8.GetString(encoded.Utf8));
        Assert.Equal("\uFFFD", encoded.Element.GetProperty("b").GetString());
    }

    [Fact]
    public void An_unpaired_surrogate_inside_an_array_is_refused_with_its_path()
    {
        var payload = new JsonObject { ["ok"] = "\uFFFD", ["a"] = new JsonArray("fine", new JsonArray(2, "\ud800")) };
        var ex = Assert.Throws<InvalidRecordException>(() => PayloadJson.Encode(payload, "record 7"));
        Assert.StartsWith("The payload of record 7 has a string at $.a[1][1] that cannot be stored: ", ex.Message);

        var key = Assert.Throws<InvalidRecordException>(() => PayloadJson.Encode(new JsonObject { ["b"] = new JsonObject { ["\ud800"] = 1 } }, "record 7"));
        Assert.StartsWith("The payload of record 7 has a string at $.b.\ud800 that cannot be stored: its key: ", key.Message);
    }

    [Fact]
    public void Sixty_four_levels_are_stored_and_sixty_five_are_refused()
    {
        Assert.Equal(64, Encoding.UTF8.GetString(PayloadJson.Encode(Nest(64), "record 7").Utf8).Count(c => c == '{'));
        var ex = Assert.Throws<InvalidRecordException>(() => PayloadJson.Encode(Nest(65), "record 7"));
        Assert.Equal("The payload of record 7 nests more than 64 levels of objects and arrays; flatten it.", ex.Message);
    }

    [Fact]
    public void ToObject_gives_a_copy_the_caller_may_change_and_null_for_no_payload()
    {
        using var doc = JsonDocument.Parse("{\"n\":1}");
        JsonObject copy = PayloadJson.ToObject(doc.RootElement)!;
        copy["n"] = 2;
        Assert.Equal(1, doc.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(2, (int)copy["n"]!);
        Assert.Null(PayloadJson.ToObject(default));
    }
}
