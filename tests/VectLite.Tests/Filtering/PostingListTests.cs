using VectLite.Filtering;

namespace VectLite.Tests.Filtering;

public sealed class PostingListTests
{
    [Fact]
    public void Rows_survive_chunk_and_directory_growth()
    {
        var list = new PostingList();
        var expected = new List<int>();
        for (int row = 0; row < 50_000; row += 3)
        {
            list.Add(row);
            list.Add(row); // same row twice: stored once
            expected.Add(row);
        }

        Assert.Equal(expected.Count, list.Count);
        var buffer = new RowBuffer();
        list.CopyBelow(int.MaxValue, buffer);
        Assert.Equal(expected, buffer.ToSortedUniqueArray());

        buffer = new RowBuffer();
        list.CopyBelow(30_000, buffer);
        Assert.Equal(expected.Where(row => row < 30_000), buffer.ToSortedUniqueArray());
    }

    [Fact]
    public void Row_buffer_sorts_and_removes_duplicates()
    {
        var buffer = new RowBuffer();
        foreach (int row in new[] { 5, 1, 5, 3, 1, 40, 2 })
        {
            buffer.Add(row);
        }

        Assert.Equal(new[] { 1, 2, 3, 5, 40 }, buffer.ToSortedUniqueArray());
        Assert.Empty(new RowBuffer().ToSortedUniqueArray());
    }

    [Fact]
    public void Sorted_set_operations_match_linq()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 200; trial++)
        {
            int[] left = [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(0, 60)).Distinct().Order()];
            int[] right = [.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => random.Next(0, 60)).Distinct().Order()];
            Assert.Equal(left.Intersect(right).Order(), SortedRowSets.Intersect(left, right));
            Assert.Equal(left.Union(right).Order(), SortedRowSets.Union(left, right));
        }
    }

    [Fact]
    public void Memory_counts_the_directory_and_each_chunk_with_its_header()
    {
        // By hand: the list object and a one-slot directory (24 + 8); each chunk is 24 + 4 bytes a slot; chunks hold
        // 4, then 8 ids, and the second chunk doubles the directory to two slots.
        var list = new PostingList();
        Assert.Equal(32L, list.MemoryBytes);

        list.Add(0);
        Assert.Equal(72L, list.MemoryBytes);

        for (int row = 1; row < 5; row++)
        {
            list.Add(row);
        }

        Assert.Equal(136L, list.MemoryBytes);
    }
}
