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
}
