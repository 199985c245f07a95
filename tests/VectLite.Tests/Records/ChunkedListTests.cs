using VectLite.Records;

namespace VectLite.Tests.Records;

/// <summary>The append-only per-row list: it allocates the chunks a count needs, no more, and never moves one.</summary>
public sealed class ChunkedListTests
{
    [Fact]
    public void Capacity_is_the_chunks_the_count_needs_not_a_doubling()
    {
        var list = new ChunkedList<long>();
        Assert.Equal(0, list.Capacity);
        list.EnsureCapacity(1);
        Assert.Equal(4096, list.Capacity);
        list.EnsureCapacity(4097);
        Assert.Equal(8192, list.Capacity);
        list.EnsureCapacity(8193); // a third chunk, not a fourth
        Assert.Equal(3 * 4096, list.Capacity);
        list.EnsureCapacity(66_000); // 17 chunks of 4,096
        Assert.Equal(17 * 4096, list.Capacity);
        list.EnsureCapacity(17 * 4096);
        Assert.Equal(17 * 4096, list.Capacity);
        list.EnsureCapacity((17 * 4096) + 1); // one more chunk (a doubling would hold 34)
        Assert.Equal(18 * 4096, list.Capacity);
    }

    [Fact]
    public void Growing_keeps_every_element_and_a_reference_taken_before_stays_the_element()
    {
        var list = new ChunkedList<int>();
        for (int i = 0; i < 50_000; i++)
        {
            list.EnsureCapacity(i + 1);
            list[i] = i * 3;
        }
        ref int early = ref list[10];
        list.EnsureCapacity(200_000); // a new directory: the chunks do not move
        early = -7;
        Assert.Equal(-7, list[10]);
        for (int i = 11; i < 50_000; i++)
        {
            Assert.Equal(i * 3, list[i]);
        }
        list[199_999] = 1;
        Assert.Equal(1, list[199_999]);
    }
}
