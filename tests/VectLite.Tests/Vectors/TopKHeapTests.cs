using VectLite.Search;

namespace VectLite.Tests.Vectors;

public sealed class TopKHeapTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Constructor_rejects_k_below_one(int k)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TopKHeap(k));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 3)]
    [InlineData(50, 1)]
    [InlineData(50, 10)]
    [InlineData(50, 50)]
    [InlineData(50, 64)]
    [InlineData(500, 10)]
    [InlineData(500, 100)]
    public void Result_equals_a_full_sort_with_ties_broken_by_smaller_row(int n, int k)
    {
        for (int seed = 0; seed < 20; seed++)
        {
            var rng = new Random((seed * 1000) + n + k);

            // Few distinct scores, so ties are everywhere; rows offered in random order.
            var pairs = new (float Score, int Row)[n];
            for (int row = 0; row < n; row++)
            {
                pairs[row] = (rng.Next(0, 8) * 0.25f, row);
            }

            rng.Shuffle(pairs);
            var heap = new TopKHeap(k);
            foreach ((float score, int row) in pairs)
            {
                heap.Push(score, row);
            }

            (float Score, int Row)[] expected = pairs
                .OrderByDescending(p => p.Score)
                .ThenBy(p => p.Row)
                .Take(k)
                .ToArray();

            Assert.Equal(expected.Length, heap.Count);
            var actual = new (float Score, int Row)[k];
            int count = heap.DrainDescending(actual);
            Assert.Equal(expected, actual[..count]);
        }
    }

    [Fact]
    public void Threshold_is_minus_infinity_until_full_then_the_kth_best_score()
    {
        var rng = new Random(7);
        var heap = new TopKHeap(5);
        var seen = new List<float>();
        for (int row = 0; row < 200; row++)
        {
            float score = (rng.NextSingle() * 100f) - 50f;
            heap.Push(score, row);
            seen.Add(score);

            float expected = seen.Count < 5 ? float.NegativeInfinity : seen.OrderByDescending(s => s).ElementAt(4);
            Assert.Equal(expected, heap.Threshold);
        }
    }

    [Fact]
    public void Equal_score_with_a_smaller_row_replaces_the_worst_kept_pair()
    {
        var heap = new TopKHeap(2);
        heap.Push(1f, 5);
        heap.Push(1f, 7);
        heap.Push(1f, 9);
        heap.Push(1f, 3);

        var result = new (float Score, int Row)[2];
        heap.DrainDescending(result);
        Assert.Equal(new (float, int)[] { (1f, 3), (1f, 5) }, result);
    }

    [Fact]
    public void NaN_scores_never_enter_and_infinities_order_normally()
    {
        var heap = new TopKHeap(3);
        heap.Push(float.NaN, 0);
        Assert.Equal(0, heap.Count);

        heap.Push(float.NegativeInfinity, 1);
        heap.Push(2f, 2);
        heap.Push(float.NaN, 3);
        heap.Push(float.PositiveInfinity, 4);
        heap.Push(float.NaN, 5);
        Assert.Equal(3, heap.Count);

        var result = new (float Score, int Row)[3];
        heap.DrainDescending(result);
        Assert.Equal(new (float, int)[] { (float.PositiveInfinity, 4), (2f, 2), (float.NegativeInfinity, 1) }, result);
    }

    [Fact]
    public void Drain_empties_the_heap_for_reuse_and_Clear_discards()
    {
        var heap = new TopKHeap(2);
        heap.Push(3f, 1);
        heap.Push(4f, 2);
        heap.Push(5f, 3);

        var result = new (float Score, int Row)[4];
        Assert.Equal(2, heap.DrainDescending(result));
        Assert.Equal(new (float, int)[] { (5f, 3), (4f, 2) }, result[..2]);
        Assert.Equal(0, heap.Count);
        Assert.Equal(float.NegativeInfinity, heap.Threshold);

        heap.Push(1f, 9);
        Assert.Equal(1, heap.DrainDescending(result));
        Assert.Equal((1f, 9), result[0]);

        heap.Push(8f, 1);
        heap.Clear();
        Assert.Equal(0, heap.Count);
        Assert.Equal(0, heap.DrainDescending([]));
    }

    [Fact]
    public void Drain_rejects_a_destination_shorter_than_the_count()
    {
        var heap = new TopKHeap(3);
        heap.Push(1f, 1);
        heap.Push(2f, 2);
        Assert.Throws<ArgumentException>(() => heap.DrainDescending(new (float, int)[1]));
        Assert.Equal(2, heap.Count);
    }
    [Fact]
    public void The_threads_heap_is_emptied_and_resized_for_each_search()
    {
        // A fresh thread: no cached heap yet on it, whatever other tests did on theirs.
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                TopKHeap first = TopKHeap.ForThisThread(2);
                Assert.Equal(2, first.K);
                first.Push(5f, 1);
                first.Push(6f, 2);
                first.Push(7f, 3);

                // Asked again (a search that did not drain): the same heap, empty, now keeping 4 (its array grows).
                TopKHeap larger = TopKHeap.ForThisThread(4);
                Assert.Same(first, larger);
                Assert.Equal(4, larger.K);
                Assert.Equal(0, larger.Count);
                Assert.Equal(float.NegativeInfinity, larger.Threshold);
                for (int row = 0; row < 6; row++)
                {
                    larger.Push(row, row);
                }
                Assert.Equal(4, larger.Count);
                Assert.Equal(2f, larger.Threshold);
                var four = new (float Score, int Row)[4];
                Assert.Equal(4, larger.DrainDescending(four));
                Assert.Equal(new (float, int)[] { (5f, 5), (4f, 4), (3f, 3), (2f, 2) }, four);

                // Smaller again: keeps 1 in the larger array.
                TopKHeap smaller = TopKHeap.ForThisThread(1);
                smaller.Push(1f, 8);
                smaller.Push(9f, 9);
                smaller.Push(3f, 7);
                Assert.Equal(1, smaller.Count);
                Assert.Equal(9f, smaller.Threshold);
                var one = new (float Score, int Row)[1];
                Assert.Equal(1, smaller.DrainDescending(one));
                Assert.Equal((9f, 9), one[0]);

                Assert.Throws<ArgumentOutOfRangeException>(() => TopKHeap.ForThisThread(0));
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        Assert.Null(failure);
    }
}
