using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class RowBitsetTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Membership_count_and_walk_agree_with_a_hash_set(int rowCount)
    {
        var random = new Random(rowCount + 1);
        var expected = new SortedSet<int>();
        RowBitset set = RowBitset.Rent(rowCount);
        for (int i = 0; i < rowCount / 3; i++)
        {
            int row = random.Next(rowCount);
            expected.Add(row);
            set.Add(row);
        }

        Assert.Equal(expected.Count, set.Count());
        for (int row = -2; row < rowCount + 70; row++)
        {
            Assert.Equal(expected.Contains(row), set.Contains(row));
        }

        var walked = new List<int>();
        for (int row = set.NextAtOrAfter(0); row >= 0; row = set.NextAtOrAfter(row + 1))
        {
            walked.Add(row);
        }
        Assert.Equal(expected, walked);
        RowBitset.Return(set);
    }

    [Fact]
    public void A_sealed_set_counts_once_and_a_reset_unseals_it()
    {
        RowBitset set = RowBitset.Rent(200);
        set.Add(3);
        set.Add(130);
        Assert.False(set.IsSealed);
        set.Seal();
        Assert.True(set.IsSealed);
        Assert.Equal(2, set.Count());

        // Pooled and rented again: a fresh set, counted from its bits.
        set.Reset(200);
        Assert.False(set.IsSealed);
        set.Add(7);
        Assert.Equal(1, set.Count());
        RowBitset.Return(set);
    }

    [Fact]
    public void Intersect_and_union_match_set_algebra_and_stay_within_the_row_count()
    {
        var random = new Random(3);
        RowBitset a = RowBitset.Rent(200);
        RowBitset b = RowBitset.Rent(260); // longer: its rows past 200 must not leak into a
        var sa = new HashSet<int>();
        var sb = new HashSet<int>();
        for (int i = 0; i < 120; i++)
        {
            int x = random.Next(200), y = random.Next(260);
            a.Add(x);
            sa.Add(x);
            b.Add(y);
            sb.Add(y);
        }

        RowBitset union = RowBitset.Rent(200);
        foreach (int row in sa)
        {
            union.Add(row);
        }
        union.UnionWith(b);
        RowBitset intersection = RowBitset.Rent(200);
        foreach (int row in sa)
        {
            intersection.Add(row);
        }
        intersection.IntersectWith(b);

        for (int row = 0; row < 270; row++)
        {
            Assert.Equal(row < 200 && (sa.Contains(row) || sb.Contains(row)), union.Contains(row));
            Assert.Equal(sa.Contains(row) && sb.Contains(row), intersection.Contains(row));
        }
        Assert.Equal(sa.Union(sb).Count(r => r < 200), union.Count());
    }

    [Fact]
    public void A_rented_set_comes_back_empty_even_when_a_used_one_is_reused()
    {
        RowBitset used = RowBitset.Rent(500);
        for (int row = 0; row < 500; row += 7)
        {
            used.Add(row);
        }
        RowBitset.Return(used);

        RowBitset again = RowBitset.Rent(300);
        Assert.Same(used, again); // the pool hands the same object back: the test is about its contents
        Assert.Equal(0, again.Count());
        Assert.Equal(-1, again.NextAtOrAfter(0));
        RowBitset.Return(again);
    }

    [Fact]
    public void Intersecting_with_a_shorter_set_drops_the_rows_past_its_end()
    {
        // 200 rows are 4 words, 64 rows 1: the words the other set lacks must be cleared, not kept.
        RowBitset mine = RowBitset.Rent(200);
        RowBitset other = RowBitset.Rent(64);
        foreach (int row in new[] { 10, 63, 64, 150, 199 })
        {
            mine.Add(row);
        }

        other.Add(10);
        other.Add(20);
        mine.IntersectWith(other);

        Assert.Equal(1, mine.Count());
        Assert.True(mine.Contains(10));
        Assert.False(mine.Contains(150));
        Assert.Equal(-1, mine.NextAtOrAfter(11));
        RowBitset.Return(other);
        RowBitset.Return(mine);
    }

    [Fact]
    public void The_pool_hands_each_set_out_once_and_keeps_at_most_four()
    {
        // Drain this thread's pool (it may hold sets from earlier tests), then fill it with five sets of our own.
        RowBitset[] drained = [.. Enumerable.Range(0, 4).Select(_ => RowBitset.Rent(1))];
        RowBitset[] mine = [.. Enumerable.Range(0, 5).Select(_ => RowBitset.Rent(1))];
        Assert.Equal(9, drained.Concat(mine).Distinct().Count()); // the drained pool hands out new sets
        foreach (RowBitset set in mine)
        {
            RowBitset.Return(set); // the fifth does not fit and is dropped
        }

        RowBitset[] again = [.. Enumerable.Range(0, 5).Select(_ => RowBitset.Rent(1))];
        Assert.Equal(mine.Take(4), again.Take(4)); // the four pooled sets, in slot order, each once
        Assert.DoesNotContain(again[4], mine);
        foreach (RowBitset set in drained.Concat(again))
        {
            RowBitset.Return(set);
        }

        RowBitset.Return(null); // ignored
    }

    [Fact]
    public void A_union_over_whole_words_keeps_the_last_word()
    {
        // 128 rows fill two words exactly: there is no partial last word to trim.
        RowBitset mine = RowBitset.Rent(128);
        RowBitset other = RowBitset.Rent(128);
        mine.Add(3);
        other.Add(100);
        other.Add(127);
        mine.UnionWith(other);

        Assert.Equal(3, mine.Count());
        Assert.True(mine.Contains(100));
        Assert.True(mine.Contains(127));
        RowBitset.Return(other);
        RowBitset.Return(mine);
    }

    [Fact]
    public void A_negative_row_count_is_rejected()
    {
        var set = new RowBitset();
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Reset(-1));
    }

    [Fact]
    public void A_set_of_60000_rows_allocates_its_938_words_and_no_more()
    {
        // 60,000 rows need 938 words: 7,504 bytes plus the array's header (24 bytes on 64-bit).
        var set = new RowBitset();
        long before = GC.GetAllocatedBytesForCurrentThread();
        set.Reset(60_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(938, set.WordCount);
        Assert.InRange(allocated, 7_504, 7_600);
    }
}
