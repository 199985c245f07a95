using VectLite.Search;

namespace VectLite.Indexing.Sparse;

/// <summary>
/// Top-k dot-product search over a <see cref="SparseVectorIndex"/>, document at a time with MaxScore pruning, so a query
/// does not score every posting of its terms.
/// </summary>
/// <remarks>
/// How it works (Turtle and Flood's MaxScore, as Lucene's <c>MaxScoreBulkScorer</c> and tantivy use it):
/// <list type="number">
/// <item>Each query term with postings gets a cursor and an upper bound on what it can add to any row's score:
/// q x the largest weight in its list (q x the smallest for a negative q), at least 0 (a row without the term gets 0).</item>
/// <item>Cursors are sorted by that bound, ascending, and the bounds summed as a prefix. Once the heap holds k rows, its
/// threshold t is the k-th best score: the terms whose summed bounds stay below t are <i>non-essential</i>, since a row
/// holding only those cannot reach t.</item>
/// <item>Candidates are the rows of the essential lists only, merged in row order. A candidate's score takes the
/// essential terms, then the non-essential ones from the largest bound down, each looked up by a binary search in its
/// list, stopping as soon as the score plus the remaining bounds falls below t.</item>
/// <item>Only a candidate that can enter the heap is tested against the row filter (visibility, namespace, payload),
/// so a filter costs per candidate, not per posting. Rows are visited in increasing order and ties go to the smaller
/// row, so a candidate equal to t cannot enter either, and the pruning is exact: the same top k as scoring everything.</item>
/// </list>
/// With <c>prune</c> false every posting of every term is scored: the reference the tests and the benchmark compare with.
/// </remarks>
internal static class SparseSearch
{
    /// <summary>For tests and the benchmark: the postings the last search on this thread read (scored or skipped over by a seek do not count).</summary>
    [ThreadStatic]
    internal static long LastPostingsScored;

    private struct Cursor
    {
        public int[] Rows;
        public float[] Weights;
        public int End;
        public int Position;
        public float Query;
        public double Bound;
    }

    /// <summary>Searches rows below <paramref name="rowLimit"/> for the best dot products with the query, into <paramref name="heap"/>.</summary>
    /// <param name="index">The space's index.</param>
    /// <param name="terms">The query's term ids (distinct).</param>
    /// <param name="weights">The query's weights, already adjusted by the space's modifier.</param>
    /// <param name="rowLimit">The snapshot's row count: later rows are not seen.</param>
    /// <param name="filter">Which rows may be results.</param>
    /// <param name="heap">Receives (score, row).</param>
    /// <param name="prune">False to score every posting (exact reference).</param>
    public static void Run<TFilter>(SparseVectorIndex index, ReadOnlySpan<uint> terms, ReadOnlySpan<float> weights, int rowLimit, ref TFilter filter, TopKHeap heap, bool prune)
        where TFilter : struct, IRowFilter
    {
        var cursors = new Cursor[terms.Length];
        int m = 0;
        for (int i = 0; i < terms.Length; i++)
        {
            float q = weights[i];
            if (q == 0 || index.Postings(terms[i]) is not { } postings)
            {
                continue;
            }
            int count = postings.Count; // acquire, then the block
            SparsePostings.Block block = postings.Entries;
            int end = UpperBound(block.Rows, 0, count, rowLimit - 1);
            if (end == 0)
            {
                continue;
            }
            double bound = q > 0 ? (double)q * postings.MaxWeight : (double)q * postings.MinWeight;
            cursors[m++] = new Cursor { Rows = block.Rows, Weights = block.Weights, End = end, Query = q, Bound = Math.Max(0, bound) };
        }
        Span<Cursor> live = cursors.AsSpan(0, m);
        live.Sort(static (a, b) => a.Bound.CompareTo(b.Bound));

        // prefix[i]: the bounds of cursors 0..i summed, with a little slack so float rounding of a score can never
        // make a row beat the bound that pruned it.
        var prefix = new double[m];
        double sum = 0;
        for (int i = 0; i < m; i++)
        {
            sum += live[i].Bound;
            prefix[i] = (sum * (1 + 1e-6)) + 1e-30;
        }

        long scored = 0;
        int firstEssential = 0;
        float threshold = float.NegativeInfinity;
        while (true)
        {
            int row = int.MaxValue;
            for (int i = firstEssential; i < m; i++)
            {
                ref Cursor c = ref live[i];
                if (c.Position < c.End && c.Rows[c.Position] < row)
                {
                    row = c.Rows[c.Position];
                }
            }
            if (row == int.MaxValue)
            {
                break;
            }

            float score = 0;
            for (int i = firstEssential; i < m; i++)
            {
                ref Cursor c = ref live[i];
                if (c.Position < c.End && c.Rows[c.Position] == row)
                {
                    score += c.Query * c.Weights[c.Position];
                    c.Position++;
                    scored++;
                }
            }

            bool pruned = false;
            for (int i = firstEssential - 1; i >= 0; i--)
            {
                if (score + prefix[i] < threshold)
                {
                    pruned = true;
                    break;
                }
                ref Cursor c = ref live[i];
                c.Position = LowerBound(c.Rows, c.Position, c.End, row);
                if (c.Position < c.End && c.Rows[c.Position] == row)
                {
                    score += c.Query * c.Weights[c.Position];
                    c.Position++;
                    scored++;
                }
            }

            if (!pruned && (heap.Count < heap.K || score > threshold) && filter.Accept(row))
            {
                heap.Push(score, row);
                if (prune && heap.Count == heap.K)
                {
                    threshold = heap.Threshold;
                    while (firstEssential < m && prefix[firstEssential] < threshold)
                    {
                        firstEssential++;
                    }
                }
            }
        }
        LastPostingsScored = scored;
    }

    /// <summary>The first position in [from, to) whose row is at least <paramref name="row"/> (galloping, then binary search).</summary>
    private static int LowerBound(int[] rows, int from, int to, int row)
    {
        int step = 1;
        int hi = from;
        while (hi < to && rows[hi] < row)
        {
            from = hi + 1;
            hi += step;
            step <<= 1;
        }
        hi = Math.Min(hi, to);
        while (from < hi)
        {
            int mid = (int)((uint)(from + hi) >> 1);
            if (rows[mid] < row)
            {
                from = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return from;
    }

    /// <summary>The first position in [from, to) whose row is above <paramref name="row"/>.</summary>
    private static int UpperBound(int[] rows, int from, int to, int row)
    {
        if (to == 0 || rows[to - 1] <= row)
        {
            return to;
        }
        while (from < to)
        {
            int mid = (int)((uint)(from + to) >> 1);
            if (rows[mid] <= row)
            {
                from = mid + 1;
            }
            else
            {
                to = mid;
            }
        }
        return from;
    }
}
