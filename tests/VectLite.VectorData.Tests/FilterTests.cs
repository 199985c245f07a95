using System.Linq.Expressions;
using VectLite.VectorData.Tests.Support;

namespace VectLite.VectorData.Tests;

/// <summary>Every supported filter form, run end to end through both SearchAsync and GetAsync.</summary>
public sealed class FilterTests : IAsyncLifetime, IDisposable
{
    private readonly TempStore _temp = new();
    private readonly int _minimumRating = 4;
    private VectLiteCollection<int, Hotel> _hotels = null!;

    private static Hotel[] Hotels =>
    [
        new() { Id = 1, Name = "Grand", Rating = 5, Price = 300.5, IsOpen = true, Tags = ["pool", "spa"], Floors = [1, 2, 3], Stars = 5, Embedding = new float[] { 1, 0, 0, 0 } },
        new() { Id = 2, Name = "Budget", Rating = 2, Price = 49.99, IsOpen = true, Tags = ["parking"], Floors = [1], Stars = null, Embedding = new float[] { 0, 1, 0, 0 } },
        new() { Id = 3, Name = "Seaside", Rating = 4, Price = 180, IsOpen = false, Tags = ["pool", "beach"], Floors = [1, 2], Stars = 4, Embedding = new float[] { 0, 0, 1, 0 } },
        new() { Id = 4, Name = null, Rating = 3, Price = 99, IsOpen = false, Tags = [], Floors = [], Stars = 3, Embedding = new float[] { 0, 0, 0, 1 } },
        new() { Id = 5, Name = "Grand Annex", Rating = 4, Price = 220, IsOpen = true, Tags = ["spa"], Floors = [4], Stars = null, Embedding = new float[] { 1, 1, 0, 0 } },
    ];

    public async Task InitializeAsync()
    {
        _hotels = _temp.Store.GetCollection<int, Hotel>("hotels");
        await _hotels.EnsureCollectionExistsAsync();
        await _hotels.UpsertAsync(Hotels);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public Task Equal() => Expect(h => h.Name == "Grand", 1);

    [Fact]
    public Task Equal_with_the_value_on_the_left() => Expect(h => "Grand" == h.Name, 1);

    [Fact]
    public Task Not_equal_includes_records_where_the_field_is_null() => Expect(h => h.Name != "Grand", 2, 3, 4, 5);

    [Fact]
    public Task Greater_than() => Expect(h => h.Rating > 4, 1);

    [Fact]
    public Task Greater_than_or_equal() => Expect(h => h.Rating >= 4, 1, 3, 5);

    [Fact]
    public Task Less_than() => Expect(h => h.Price < 99, 2);

    [Fact]
    public Task Less_than_or_equal() => Expect(h => h.Price <= 99, 2, 4);

    [Fact]
    public Task Comparison_with_the_value_on_the_left_is_mirrored() => Expect(h => 4 < h.Rating, 1);

    [Fact]
    public Task And() => Expect(h => h.Rating >= 4 && h.IsOpen, 1, 5);

    [Fact]
    public Task Or() => Expect(h => h.Rating == 2 || h.Name == "Seaside", 2, 3);

    [Fact]
    public Task Not() => Expect(h => !(h.Rating >= 4), 2, 4);

    [Fact]
    public Task Nested_logic() => Expect(h => (h.IsOpen || h.Rating == 3) && !(h.Price > 250), 2, 4, 5);

    [Fact]
    public Task Bool_property_alone() => Expect(h => h.IsOpen, 1, 2, 5);

    [Fact]
    public Task Negated_bool_property() => Expect(h => !h.IsOpen, 3, 4);

    [Fact]
    public Task Bool_compared_with_a_constant() => Expect(h => h.IsOpen == false, 3, 4);

    [Fact]
    public Task Contains_on_an_array_property() => Expect(h => h.Tags.Contains("pool"), 1, 3);

    [Fact]
    public Task Contains_on_a_list_property() => Expect(h => h.Floors.Contains(2), 1, 3);

    [Fact]
    public Task Contains_on_a_captured_array()
    {
        string[] names = ["Budget", "Seaside", "Nowhere"];
        return Expect(h => names.Contains(h.Name), 2, 3);
    }

    [Fact]
    public Task Contains_on_a_captured_list()
    {
        List<int> ratings = [2, 3];
        return Expect(h => ratings.Contains(h.Rating), 2, 4);
    }

    [Fact]
    public Task Contains_on_an_inline_array() => Expect(h => new[] { 1, 5 }.Contains(h.Id), 1, 5);

    [Fact]
    public Task Contains_on_an_empty_collection_matches_nothing() => Expect(h => Array.Empty<string>().Contains(h.Name));

    [Fact]
    public Task Any_element_in_a_captured_collection()
    {
        string[] wanted = ["beach", "parking"];
        return Expect(h => h.Tags.Any(t => wanted.Contains(t)), 2, 3);
    }

    [Fact]
    public Task String_contains_is_an_ordinal_substring_test() => Expect(h => h.Name!.Contains("Grand"), 1, 5);

    [Fact]
    public Task Equal_null_matches_null_fields() => Expect(h => h.Name == null, 4);

    [Fact]
    public Task Not_equal_null_matches_set_fields() => Expect(h => h.Stars != null, 1, 3, 4);

    [Fact]
    public Task Nullable_value_compared_with_a_value() => Expect(h => h.Stars >= 4, 1, 3);

    [Fact]
    public Task HasValue() => Expect(h => h.Stars.HasValue, 1, 3, 4);

    [Fact]
    public Task Nullable_Value_member() => Expect(h => h.Stars!.Value == 3, 4);

    [Fact]
    public Task Comparison_with_null_matches_nothing()
    {
        int? none = null;
        return Expect(h => h.Stars > none);
    }

    [Fact]
    public Task Captured_variable()
    {
        string name = "Budget";
        return Expect(h => h.Name == name, 2);
    }

    [Fact]
    public Task Member_of_the_test_class() => Expect(h => h.Rating >= _minimumRating, 1, 3, 5);

    [Fact]
    public Task Member_access_on_a_captured_object()
    {
        var criteria = new { Rating = 4, Tags = new List<string> { "spa" } };
        return Expect(h => h.Rating == criteria.Rating && h.Tags.Contains(criteria.Tags[0]), 5);
    }

    [Fact]
    public Task Method_call_that_does_not_read_the_record_is_evaluated_once() => Expect(h => h.Name == string.Concat("Gr", "and"), 1);

    [Fact]
    public Task Filter_on_the_key() => Expect(h => h.Id == 3 || h.Id > 4, 3, 5);

    [Fact]
    public Task Constant_true_matches_everything() => Expect(h => true, 1, 2, 3, 4, 5);

    [Fact]
    public Task Constant_false_matches_nothing() => Expect(h => false);

    [Fact]
    public Task Constant_folding_keeps_the_record_condition()
    {
        bool enabled = true;
        return Expect(h => enabled && h.Rating == 2, 2);
    }

    [Fact]
    public async Task Unsupported_method_calls_name_the_expression()
    {
        var ex = await Assert.ThrowsAsync<NotSupportedException>(() => _hotels.GetAsync(h => h.Name!.StartsWith("G"), top: 5).ToListAsync().AsTask());
        Assert.Contains("h.Name.StartsWith(\"G\")", ex.Message, StringComparison.Ordinal);
        Assert.Contains("VectLite cannot translate", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comparing_two_properties_is_not_supported()
    {
        var ex = await Assert.ThrowsAsync<NotSupportedException>(
            () => _hotels.SearchAsync(new float[4], top: 5, new() { Filter = h => h.Rating == h.Id }).ToListAsync().AsTask());
        Assert.Contains("(h.Rating == h.Id)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filtering_on_a_vector_property_is_not_supported()
    {
        var ex = await Assert.ThrowsAsync<NotSupportedException>(
            () => _hotels.GetAsync(h => h.Embedding.Length == 4, top: 5).ToListAsync().AsTask());
        Assert.Contains("Embedding", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task Array_property_equal_to_an_array_matches_it_as_a_whole()
    {
        string[] tags = ["pool", "spa"];
        return Expect(h => h.Tags == tags, 1); // not 3 (["pool", "beach"]) nor 5 (["spa"])
    }

    [Fact]
    public Task Array_property_equality_respects_order_and_length()
    {
        string[] reversed = ["spa", "pool"];
        return Expect(h => h.Tags == reversed || h.Floors == new List<int> { 1, 2 }, 3);
    }

    [Fact]
    public Task Array_property_not_equal_to_an_array() => Expect(h => h.Tags != new[] { "pool", "spa" }, 2, 3, 4, 5);

    [Fact]
    public Task Empty_array_equality() => Expect(h => h.Floors == new List<int>(), 4);

    private async Task Expect(Expression<Func<Hotel, bool>> filter, params int[] expectedIds)
    {
        var searched = await _hotels.SearchAsync(new float[] { 1, 0, 0, 0 }, top: 10, new() { Filter = filter }).ToListAsync();
        Assert.Equal(expectedIds, searched.Select(r => r.Record.Id).Order());

        var got = await _hotels.GetAsync(filter, top: 10).ToListAsync();
        Assert.Equal(expectedIds, got.Select(r => r.Id)); // GetAsync without OrderBy returns key order
    }
}
