using VectLite.Filtering;
using VectLite.Search;
using VectLite.Vectors;

namespace VectLite.Tests.Vectors;

public sealed class ExactScannerTests
{
    public enum Metric
    {
        Dot,
        L2,
        L1,
    }

    public static TheoryData<Metric, int, int, int> Cases()
    {
        var data = new TheoryData<Metric, int, int, int>();
        foreach (Metric metric in Enum.GetValues<Metric>())
        {
            foreach (int dimension in new[] { 1, 5, 16, 33, 100 })
            {
                data.Add(metric, dimension, 150, 10);
            }

            data.Add(metric, 7, 150, 1);
            data.Add(metric, 7, 150, 200);
            data.Add(metric, 7, 17, 10);
            data.Add(metric, 7, 1, 10);
            data.Add(metric, 7, 0, 10);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ScanAll_equals_brute_force_over_accepted_rows(Metric metric, int dimension, int rowCount, int k)
    {
        using VectorArena arena = Build(dimension, rows: 160, rowsPerChunk: 16, seed: dimension);
        float[] query = TestVectors.Random(new Random(dimension + 1), dimension);
        var filter = new RejectMultiplesOf(3);
        var heap = new TopKHeap(k);

        (float Score, int Row)[] actual = metric switch
        {
            Metric.Dot => ScanAll<DotScorer>(arena, query, rowCount, ref filter, heap),
            Metric.L2 => ScanAll<L2Scorer>(arena, query, rowCount, ref filter, heap),
            _ => ScanAll<L1Scorer>(arena, query, rowCount, ref filter, heap),
        };

        (float Score, int Row)[] expected = metric switch
        {
            Metric.Dot => BruteForce<DotScorer>(arena, query, Enumerable.Range(0, rowCount), row => row % 3 != 0, k),
            Metric.L2 => BruteForce<L2Scorer>(arena, query, Enumerable.Range(0, rowCount), row => row % 3 != 0, k),
            _ => BruteForce<L1Scorer>(arena, query, Enumerable.Range(0, rowCount), row => row % 3 != 0, k),
        };

        Assert.Equal(expected, actual);
        Assert.Equal(rowCount, filter.Calls);
    }

    [Theory]
    [InlineData(Metric.Dot)]
    [InlineData(Metric.L2)]
    [InlineData(Metric.L1)]
    public void ScanRows_equals_brute_force_over_the_listed_accepted_rows_in_any_order(Metric metric)
    {
        using VectorArena arena = Build(dimension: 19, rows: 160, rowsPerChunk: 16, seed: 5);
        float[] query = TestVectors.Random(new Random(6), 19);
        var rng = new Random(7);
        for (int trial = 0; trial < 10; trial++)
        {
            int[] rows = Enumerable.Range(0, 160).Where(_ => rng.Next(2) == 0).ToArray();
            rng.Shuffle(rows);
            var filter = new RejectMultiplesOf(4);
            var heap = new TopKHeap(8);

            (float Score, int Row)[] actual = metric switch
            {
                Metric.Dot => ScanRows<DotScorer>(arena, query, rows, ref filter, heap),
                Metric.L2 => ScanRows<L2Scorer>(arena, query, rows, ref filter, heap),
                _ => ScanRows<L1Scorer>(arena, query, rows, ref filter, heap),
            };

            (float Score, int Row)[] expected = metric switch
            {
                Metric.Dot => BruteForce<DotScorer>(arena, query, rows, row => row % 4 != 0, 8),
                Metric.L2 => BruteForce<L2Scorer>(arena, query, rows, row => row % 4 != 0, 8),
                _ => BruteForce<L1Scorer>(arena, query, rows, row => row % 4 != 0, 8),
            };

            Assert.Equal(expected, actual);
            Assert.Equal(rows.Length, filter.Calls);
        }
    }

    [Fact]
    public void ScanAll_over_default_sized_chunks_finds_the_exact_L2_neighbours()
    {
        // 784 dimensions: 2048 rows per 6.1 MiB chunk, so 4500 rows span three chunks.
        const int Dimension = 784;
        const int Rows = 4500;
        using VectorArena arena = Build(Dimension, Rows, VectorArena.DefaultRowsPerChunk(Dimension), seed: 11);
        Assert.Equal(3, arena.ChunkCount);

        // Plant the query's nearest neighbours near the end of the last chunk and on a chunk boundary.
        float[] query = TestVectors.Random(new Random(12), Dimension);
        int[] planted = [4499, 2048, 2047, 0, 4096];
        for (int i = 0; i < planted.Length; i++)
        {
            float[] near = (float[])query.Clone();
            near[i] += 0.001f * (i + 1);
            arena.Write(planted[i], near);
        }

        var filter = new AcceptAllRows();
        var heap = new TopKHeap(5);
        (float Score, int Row)[] actual = ScanAll<L2Scorer>(arena, query, Rows, ref filter, heap);
        Assert.Equal(planted, actual.Select(p => p.Row).ToArray());
        Assert.Equal(BruteForce<L2Scorer>(arena, query, Enumerable.Range(0, Rows), _ => true, 5), actual);
    }

    [Fact]
    public void Equal_vectors_tie_and_the_smaller_row_wins()
    {
        using VectorArena arena = Build(dimension: 12, rows: 64, rowsPerChunk: 16, seed: 3);
        float[] twin = arena.Get(40).ToArray();
        foreach (int row in new[] { 2, 17, 33, 63 })
        {
            arena.Write(row, twin);
        }

        var filter = new RejectMultiplesOf(17);
        var heap = new TopKHeap(3);
        (float Score, int Row)[] result = ScanAll<L2Scorer>(arena, twin, 64, ref filter, heap);

        // Row 17 (an exact match) is filtered out; the remaining exact matches come in row order.
        Assert.Equal(new[] { 2, 33, 40 }, result.Select(p => p.Row).ToArray());
        Assert.All(result, p => Assert.Equal(0f, p.Score));

        int[] reversed = [63, 40, 33, 17, 2];
        filter = new RejectMultiplesOf(17);
        result = ScanRows<L2Scorer>(arena, twin, reversed, ref filter, heap);
        Assert.Equal(new[] { 2, 33, 40 }, result.Select(p => p.Row).ToArray());
    }

    [Fact]
    public void Rejected_rows_are_never_scored()
    {
        using VectorArena arena = Build(dimension: 9, rows: 100, rowsPerChunk: 16, seed: 4);
        float[] query = TestVectors.Random(new Random(5), 9);
        var filter = new RejectMultiplesOf(3);
        var heap = new TopKHeap(4);

        CountingScorer.Calls = 0;
        ExactScanner.ScanAll<CountingScorer, RejectMultiplesOf>(arena, query, 100, ref filter, heap);
        Assert.Equal(100 - 34, CountingScorer.Calls);

        CountingScorer.Calls = 0;
        filter = new RejectMultiplesOf(3);
        ExactScanner.ScanRows<CountingScorer, RejectMultiplesOf>(arena, query, [0, 1, 2, 3, 4, 5, 6], ref filter, heap);
        Assert.Equal(4, CountingScorer.Calls);
    }

    [Fact]
    public void User_scores_are_the_dot_product_minus_euclidean_and_minus_manhattan_distance()
    {
        var rng = new Random(8);
        float[] a = TestVectors.Random(rng, 300);
        float[] b = TestVectors.Random(rng, 300);
        double dot = 0, l2 = 0, l1 = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }

        Assert.Equal(dot, DotScorer.ToUserScore(DotScorer.Score(a, b)), 1e-3);
        Assert.Equal(-Math.Sqrt(l2), L2Scorer.ToUserScore(L2Scorer.Score(a, b)), 1e-3);
        Assert.Equal(-l1, L1Scorer.ToUserScore(L1Scorer.Score(a, b)), 1e-3);
        Assert.Equal(-5f, L2Scorer.ToUserScore(-25f));

        // Higher is better for every scorer: a vector scores itself at least as well as another.
        float[] unit = (float[])a.Clone();
        Assert.True(VectorKernels.TryNormalize(unit));
        float[] otherUnit = (float[])b.Clone();
        Assert.True(VectorKernels.TryNormalize(otherUnit));
        Assert.True(DotScorer.Score(unit, unit) > DotScorer.Score(unit, otherUnit));
        Assert.True(L2Scorer.Score(a, a) > L2Scorer.Score(a, b));
        Assert.True(L1Scorer.Score(a, a) > L1Scorer.Score(a, b));
    }

    [Fact]
    public void Scans_reject_bad_arguments()
    {
        using VectorArena arena = Build(dimension: 4, rows: 20, rowsPerChunk: 16, seed: 1);
        var filter = new AcceptAllRows();
        var heap = new TopKHeap(2);
        float[] query = new float[4];

        Assert.Throws<ArgumentException>(() => ExactScanner.ScanAll<L2Scorer, AcceptAllRows>(arena, new float[5], 20, ref filter, heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanAll<L2Scorer, AcceptAllRows>(arena, query, 33, ref filter, heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanAll<L2Scorer, AcceptAllRows>(arena, query, -1, ref filter, heap));
        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanAll<L2Scorer, AcceptAllRows>(arena, query, 20, ref filter, null!));
        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanAll<L2Scorer, AcceptAllRows>(null!, query, 20, ref filter, heap));
        Assert.Throws<ArgumentException>(() => ExactScanner.ScanRows<L2Scorer, AcceptAllRows>(arena, new float[3], [1], ref filter, heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanRows<L2Scorer, AcceptAllRows>(arena, query, [1, 32], ref filter, heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanRows<L2Scorer, AcceptAllRows>(arena, query, [-1], ref filter, heap));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(5, 6)]
    [InlineData(15, 17)]
    [InlineData(16, 32)]
    [InlineData(17, 160)]
    [InlineData(31, 33)]
    [InlineData(100, 160)]
    [InlineData(0, 160)]
    public void ScanRange_adds_the_rows_from_to_into_a_heap_that_already_holds_the_rows_before(int from, int to)
    {
        // The deferred-indexing tail: the heap holds what the graph walk found (here the exact best of [0, from)), the
        // scan adds [from, to). The result is the brute force over [0, to); the count is the accepted rows of the range.
        using VectorArena arena = Build(dimension: 7, rows: 160, rowsPerChunk: 16, seed: 21);
        float[] query = TestVectors.Random(new Random(22), 7);
        var heap = new TopKHeap(6);
        foreach ((float score, int row) in BruteForce<L2Scorer>(arena, query, Enumerable.Range(0, from), row => row % 3 != 0, 6))
        {
            heap.Push(score, row);
        }
        var filter = new RejectMultiplesOf(3);

        int scored = ExactScanner.ScanRange<L2Scorer, RejectMultiplesOf>(arena, query, from, to, ref filter, heap);

        Assert.Equal(Enumerable.Range(from, to - from).Count(row => row % 3 != 0), scored);
        Assert.Equal(to - from, filter.Calls);
        Assert.Equal(BruteForce<L2Scorer>(arena, query, Enumerable.Range(0, to), row => row % 3 != 0, 6), Drain(heap));
    }

    [Fact]
    public void ScanRange_rejects_a_range_that_is_backwards_or_outside_the_arena()
    {
        using VectorArena arena = Build(dimension: 4, rows: 20, rowsPerChunk: 16, seed: 1);
        var filter = new AcceptAllRows();
        var heap = new TopKHeap(2);
        float[] query = new float[4];
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanRange<L2Scorer, AcceptAllRows>(arena, query, -1, 5, ref filter, heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanRange<L2Scorer, AcceptAllRows>(arena, query, 6, 5, ref filter, heap));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactScanner.ScanRange<L2Scorer, AcceptAllRows>(arena, query, 0, 33, ref filter, heap));
        Assert.Equal(32, ExactScanner.ScanRange<L2Scorer, AcceptAllRows>(arena, query, 0, 32, ref filter, heap)); // the capacity: 2 chunks
    }

    [Theory]
    [InlineData(Metric.Dot)]
    [InlineData(Metric.L2)]
    [InlineData(Metric.L1)]
    public void ScanSet_equals_brute_force_over_the_sets_accepted_members(Metric metric)
    {
        using VectorArena arena = Build(dimension: 11, rows: 160, rowsPerChunk: 16, seed: 31);
        float[] query = TestVectors.Random(new Random(32), 11);
        var rng = new Random(33);
        for (int trial = 0; trial < 10; trial++)
        {
            // Random members, always with the words' edges (0, 63, 64, 127, 128) and the last row.
            int[] members = [.. Enumerable.Range(0, 160).Where(row => row is 0 or 63 or 64 or 127 or 128 or 159 || rng.Next(3) == 0)];
            RowBitset set = new();
            set.Reset(160);
            foreach (int row in members)
            {
                set.Add(row);
            }
            var filter = new RejectMultiplesOf(4);
            var heap = new TopKHeap(8);

            int scored = metric switch
            {
                Metric.Dot => ExactScanner.ScanSet<DotScorer, RejectMultiplesOf>(arena, query, set, ref filter, heap),
                Metric.L2 => ExactScanner.ScanSet<L2Scorer, RejectMultiplesOf>(arena, query, set, ref filter, heap),
                _ => ExactScanner.ScanSet<L1Scorer, RejectMultiplesOf>(arena, query, set, ref filter, heap),
            };
            (float Score, int Row)[] expected = metric switch
            {
                Metric.Dot => BruteForce<DotScorer>(arena, query, members, row => row % 4 != 0, 8),
                Metric.L2 => BruteForce<L2Scorer>(arena, query, members, row => row % 4 != 0, 8),
                _ => BruteForce<L1Scorer>(arena, query, members, row => row % 4 != 0, 8),
            };

            Assert.Equal(expected, Drain(heap));
            Assert.Equal(members.Count(row => row % 4 != 0), scored);
            Assert.Equal(members.Length, filter.Calls);
        }
    }

    [Fact]
    public void ScanSet_of_equal_vectors_keeps_the_smallest_rows_and_rejects_bad_arguments()
    {
        using VectorArena arena = Build(dimension: 5, rows: 130, rowsPerChunk: 16, seed: 41);
        float[] twin = arena.Get(129).ToArray();
        foreach (int row in new[] { 3, 64, 70, 128 })
        {
            arena.Write(row, twin);
        }
        RowBitset set = new();
        set.Reset(130);
        foreach (int row in new[] { 128, 129, 70, 64, 3, 5 })
        {
            set.Add(row);
        }
        var filter = new RejectMultiplesOf(int.MaxValue); // rejects row 0 only
        var heap = new TopKHeap(3);
        Assert.Equal(6, ExactScanner.ScanSet<L2Scorer, RejectMultiplesOf>(arena, twin, set, ref filter, heap));
        Assert.Equal([(0f, 3), (0f, 64), (0f, 70)], Drain(heap));

        var all = new AcceptAllRows();
        Assert.Throws<ArgumentException>(() => ExactScanner.ScanSet<L2Scorer, AcceptAllRows>(arena, new float[4], set, ref all, heap));
        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanSet<L2Scorer, AcceptAllRows>(arena, twin, null!, ref all, heap));
        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanSet<L2Scorer, AcceptAllRows>(arena, twin, set, ref all, null!));
    }

    [Fact]
    public void Rows_whose_score_overflows_to_minus_infinity_still_fill_a_heap_that_is_not_full()
    {
        // Finite vectors whose dot product with the query overflows: 3e38 x -3e38 x 2 components = -infinity. The heap's
        // threshold is -infinity until it is full, so such rows must still enter (a result with fewer rows than exist
        // would be wrong): the compare is "at least the threshold", not "above it".
        using var arena = new VectorArena(2, 16);
        arena.EnsureCapacity(20);
        arena.Write(0, [3e38f, 3e38f]);
        arena.Write(1, [1e-3f, 0]); // -3e35: finite
        arena.Write(2, [3e38f, 3e38f]);
        float[] query = [-3e38f, -3e38f];
        Assert.Equal(float.NegativeInfinity, DotScorer.Score(query, arena.Get(0)));

        var all = new AcceptAllRows();
        var heap = new TopKHeap(3);
        ExactScanner.ScanAll<DotScorer, AcceptAllRows>(arena, query, 3, ref all, heap);
        (float Score, int Row)[] scanned = Drain(heap);
        Assert.Equal([1, 0, 2], scanned.Select(p => p.Row));
        Assert.Equal(float.NegativeInfinity, scanned[1].Score);

        RowBitset set = new();
        set.Reset(3);
        set.Add(0);
        set.Add(2);
        ExactScanner.ScanSet<DotScorer, AcceptAllRows>(arena, query, set, ref all, heap);
        Assert.Equal([(float.NegativeInfinity, 0), (float.NegativeInfinity, 2)], Drain(heap));

        ExactScanner.ScanRows<DotScorer, AcceptAllRows>(arena, query, [2, 0], ref all, heap);
        Assert.Equal([(float.NegativeInfinity, 0), (float.NegativeInfinity, 2)], Drain(heap));

        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanSet<DotScorer, AcceptAllRows>(null!, query, set, ref all, heap));
        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanRows<DotScorer, AcceptAllRows>(null!, query, [0], ref all, heap));
        Assert.Throws<ArgumentNullException>(() => ExactScanner.ScanRows<DotScorer, AcceptAllRows>(arena, query, [0], ref all, null!));
    }

    [Fact]
    public void ScanAll_returns_the_rows_it_scored()
    {
        using VectorArena arena = Build(dimension: 3, rows: 50, rowsPerChunk: 16, seed: 2);
        var filter = new RejectMultiplesOf(5);
        Assert.Equal(40, ExactScanner.ScanAll<L2Scorer, RejectMultiplesOf>(arena, new float[3], 50, ref filter, new TopKHeap(4)));
    }

    private static (float Score, int Row)[] ScanAll<TScorer>(VectorArena arena, float[] query, int rowCount, ref RejectMultiplesOf filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
    {
        ExactScanner.ScanAll<TScorer, RejectMultiplesOf>(arena, query, rowCount, ref filter, heap);
        return Drain(heap);
    }

    private static (float Score, int Row)[] ScanAll<TScorer>(VectorArena arena, float[] query, int rowCount, ref AcceptAllRows filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
    {
        ExactScanner.ScanAll<TScorer, AcceptAllRows>(arena, query, rowCount, ref filter, heap);
        return Drain(heap);
    }

    private static (float Score, int Row)[] ScanRows<TScorer>(VectorArena arena, float[] query, int[] rows, ref RejectMultiplesOf filter, TopKHeap heap)
        where TScorer : struct, IVectorScorer
    {
        ExactScanner.ScanRows<TScorer, RejectMultiplesOf>(arena, query, rows, ref filter, heap);
        return Drain(heap);
    }

    private static (float Score, int Row)[] Drain(TopKHeap heap)
    {
        var result = new (float Score, int Row)[heap.Count];
        heap.DrainDescending(result);
        return result;
    }

    /// <summary>The reference: score every accepted row with the same scorer, sort, take k.</summary>
    private static (float Score, int Row)[] BruteForce<TScorer>(VectorArena arena, float[] query, IEnumerable<int> rows, Func<int, bool> accept, int k)
        where TScorer : struct, IVectorScorer =>
        rows.Where(accept)
            .Select(row => (Score: TScorer.Score(query, arena.Get(row)), Row: row))
            .OrderByDescending(p => p.Score)
            .ThenBy(p => p.Row)
            .Take(k)
            .ToArray();

    /// <summary>An arena of random rows in [-1, 1), with a few exact duplicates so ties occur.</summary>
    private static VectorArena Build(int dimension, int rows, int rowsPerChunk, int seed)
    {
        var arena = new VectorArena(dimension, rowsPerChunk);
        arena.EnsureCapacity(rows);
        var rng = new Random(seed);
        for (int row = 0; row < rows; row++)
        {
            arena.Write(row, TestVectors.Random(rng, dimension));
        }

        for (int row = 10; row < rows; row += 25)
        {
            arena.Write(row, arena.Get(row - 9).ToArray());
        }

        return arena;
    }

    /// <summary>Rejects rows divisible by <c>Divisor</c> and counts its calls, checking they come once per row.</summary>
    private struct RejectMultiplesOf(int divisor) : IRowFilter
    {
        public int Calls { get; private set; }

        public bool Accept(int row)
        {
            Calls++;
            return row % divisor != 0;
        }
    }

    /// <summary>An L2 scorer that counts how many distances were computed.</summary>
    private readonly struct CountingScorer : IVectorScorer
    {
        [ThreadStatic]
        internal static int Calls;

        public static float Score(ReadOnlySpan<float> query, ReadOnlySpan<float> vector)
        {
            Calls++;
            return L2Scorer.Score(query, vector);
        }

        public static float ToUserScore(float score) => L2Scorer.ToUserScore(score);
    }
}
