using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

/// <summary>
/// The cache of repeated filters' row sets (<see cref="RowSetCache"/>): kept on the second miss at the same row limit,
/// found by an equal filter, at most <see cref="RowSetCache.MaxEntries"/> sets and <see cref="RowSetCache.MaxBytes"/>
/// bytes. The engine-level guarantees (new rows seen, a kept set never changed) are in <c>Engine/FilteredSearchTests</c>.
/// </summary>
public sealed class RowSetCacheTests
{
    [Fact]
    public void A_set_is_kept_on_its_filters_second_miss_and_found_by_an_equal_filter_at_the_same_row_limit()
    {
        var cache = new RowSetCache();
        long hitsBefore = RowSetCache.HitsOnThisThreadForTests;
        RowBitset first = Set(1_000, 7);
        Assert.False(cache.Offer(Filter.Lt("price", 10), 1_000, first, exact: true)); // once: not kept
        Assert.False(cache.TryGet(Filter.Lt("price", 10), 1_000, out _, out _));

        RowBitset second = Set(1_000, 7, 9);
        Assert.True(cache.Offer(Filter.Lt("price", 10), 1_000, second, exact: false));
        Assert.True(cache.TryGet(Filter.Lt("price", 10), 1_000, out RowBitset? found, out bool exact)); // another instance, equal
        Assert.Same(second, found);
        Assert.False(exact);
        Assert.False(first.IsSealed);  // not kept: still the search's own
        Assert.True(second.IsSealed);  // kept: shared from now on, its count known
        Assert.Equal(2, found!.Count());

        Assert.False(cache.TryGet(Filter.Lt("price", 10), 1_001, out _, out _));
        Assert.False(cache.TryGet(Filter.Lt("price", 11), 1_000, out _, out _));
        Assert.False(cache.TryGet(Filter.Lte("price", 10), 1_000, out _, out _));
        Assert.Equal(hitsBefore + 1, RowSetCache.HitsOnThisThreadForTests);
    }

    [Fact]
    public void A_miss_at_another_row_limit_does_not_count_as_a_second_miss()
    {
        var cache = new RowSetCache();
        Assert.False(cache.Offer(Filter.Eq("tag", "a"), 500, Set(500, 1), exact: true));
        Assert.False(cache.Offer(Filter.Eq("tag", "a"), 501, Set(501, 1), exact: true));
        Assert.True(cache.Offer(Filter.Eq("tag", "a"), 501, Set(501, 1), exact: true));
    }

    [Fact]
    public void A_miss_noted_without_a_set_makes_the_filters_next_offer_keep_its_set()
    {
        // A filter most rows pass builds no set on its first miss, only notes it; its second miss builds one and offers it.
        var cache = new RowSetCache();
        Assert.False(cache.NoteMiss(Filter.Lt("price", 500), 1_000));
        Assert.False(cache.NoteMiss(Filter.Lt("price", 500), 1_001)); // another row limit: a first miss too
        Assert.True(cache.NoteMiss(Filter.Lt("price", 500), 1_000));
        Assert.True(cache.Offer(Filter.Lt("price", 500), 1_000, Set(1_000, 3), exact: true));
        Assert.True(cache.TryGet(Filter.Lt("price", 500), 1_000, out RowBitset? rows, out _));
        Assert.True(rows!.Contains(3));
        Assert.False(cache.NoteMiss(Filter.Lt("price", 501), 1_000));
    }

    [Fact]
    public void The_oldest_set_gives_way_once_the_cache_holds_its_most()
    {
        var cache = new RowSetCache();
        for (int i = 0; i <= RowSetCache.MaxEntries; i++) // 17 filters, each kept
        {
            Filter filter = Filter.Eq("n", i);
            cache.Offer(filter, 100, Set(100, i), exact: true);
            Assert.True(cache.Offer(filter, 100, Set(100, i), exact: true));
        }

        Assert.False(cache.TryGet(Filter.Eq("n", 0), 100, out _, out _));
        for (int i = 1; i <= RowSetCache.MaxEntries; i++)
        {
            Assert.True(cache.TryGet(Filter.Eq("n", i), 100, out RowBitset? rows, out _));
            Assert.True(rows!.Contains(i));
        }
    }

    [Fact]
    public void A_set_larger_than_the_byte_budget_is_not_kept()
    {
        var cache = new RowSetCache();
        int rows = (int)(RowSetCache.MaxBytes * 8) + 64; // one word past 32 MiB of bits
        var large = RowBitset.Rent(rows);
        Assert.False(cache.Offer(Filter.Eq("tag", "x"), rows, large, exact: true));
        Assert.False(cache.Offer(Filter.Eq("tag", "x"), rows, large, exact: true));
        Assert.False(cache.TryGet(Filter.Eq("tag", "x"), rows, out _, out _));

        var fits = RowBitset.Rent((int)(RowSetCache.MaxBytes * 8)); // exactly 32 MiB: one set fits
        cache.Offer(Filter.Eq("tag", "y"), fits.RowCount, fits, exact: true);
        Assert.True(cache.Offer(Filter.Eq("tag", "y"), fits.RowCount, fits, exact: true));
    }

    [Fact]
    public void Sets_kept_before_larger_ones_give_way_so_the_byte_budget_holds()
    {
        var cache = new RowSetCache();
        for (int i = 0; i < RowSetCache.MaxEntries; i++) // 16 small sets: every slot full
        {
            cache.Offer(Filter.Eq("n", i), 100, Set(100, i), exact: true);
            Assert.True(cache.Offer(Filter.Eq("n", i), 100, Set(100, i), exact: true));
        }

        int rows = (int)(RowSetCache.MaxBytes / 2 * 8); // 16 MiB of bits: two such sets fill the budget
        var large = RowBitset.Rent(rows);
        cache.Offer(Filter.Eq("tag", "x"), rows, large, exact: true);
        Assert.True(cache.Offer(Filter.Eq("tag", "x"), rows, large, exact: true));

        // Room for two sets of this size: the large one and at most one small one; the other 15 small ones are gone.
        int left = Enumerable.Range(0, RowSetCache.MaxEntries).Count(i => cache.TryGet(Filter.Eq("n", i), 100, out _, out _));
        Assert.True(left <= 1, $"{left} small sets still kept beside a set of half the byte budget");
        Assert.True(cache.TryGet(Filter.Eq("tag", "x"), rows, out _, out _));
    }

    private static RowBitset Set(int rowCount, params int[] members)
    {
        var set = new RowBitset();
        set.Reset(rowCount);
        foreach (int row in members)
        {
            set.Add(row);
        }
        return set;
    }
}
