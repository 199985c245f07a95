using VectLite.Records;
using VectLite.Search;
using VectLite.Text.Analysis;

namespace VectLite.Text;

/// <summary>
/// Runs a <see cref="TextQuery"/> on a <see cref="TextIndex"/>: BM25 scores, the required/excluded terms and phrases,
/// the caller's row filter (visibility, namespace, payload filter), top-k with MaxScore pruning.
/// </summary>
/// <remarks>
/// <para>Score: the sum over the query's scoring terms t found in document d of
/// <c>w(t) * idf(t) * (k1 + 1) * tf / (tf + k1 * (1 - b + b * dl / avgdl))</c>, with
/// <c>idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))</c>: Lucene 4.8's <c>BM25Similarity</c> (the version Lucene.Net
/// ships), computed in single precision as it does, with the document length as Lucene stores it (one byte,
/// <see cref="LuceneLengthNorm"/>), so scores equal Lucene's up to float rounding. N is the live documents that have text, n(t) those holding t, avgdl their mean length (terms counted
/// by position), w(t) how often the query names t. Records that expired are taken out of N, n and avgdl at query time.</para>
/// <para>How the pruning works (MaxScore, Turtle and Flood 1995): each term has an upper bound on what it can add (its
/// highest term frequency with the shortest possible document). Terms are sorted by bound; the longest prefix whose
/// bounds sum to no more than the k-th best score so far is "non-essential": a document that holds only those terms
/// cannot enter the top k, so only the essential terms' postings are walked, and the non-essential ones are looked up
/// (binary search) for the documents found, and only while the remaining bound can still lift the document over the
/// threshold. As the threshold rises, more terms become non-essential and whole posting lists are skipped.</para>
/// <para>With required terms (or a required phrase) the rarest required term's postings drive the walk instead: every
/// hit must be in it.</para>
/// </remarks>
internal static class TextSearcher
{
    /// <summary>Test hook: how many documents the last search on this thread scored (what pruning saves shows here).</summary>
    [ThreadStatic]
    internal static int LastScoredForTests;

    /// <summary>Fills <paramref name="heap"/> with the best rows of <paramref name="snapshot"/> that <paramref name="filter"/> accepts.</summary>
    public static void Search<TFilter>(TextIndex index, TextQuery query, CollectionState state, Snapshot snapshot, long nowTicks,
        ref TFilter filter, TopKHeap heap)
        where TFilter : struct, IRowFilter
    {
        if (query.IsEmpty)
        {
            return;
        }
        int rowCount = snapshot.RowCount;
        int n = query.Scoring.Count;
        var postings = new TermPostings?[n];
        var df = new int[n];
        for (int i = 0; i < n; i++)
        {
            postings[i] = index.Postings(query.Scoring[i].Term);
            df[i] = postings[i]?.LiveDocs ?? 0;
        }
        foreach (string required in query.Required)
        {
            if (index.Postings(required) is null)
            {
                return;
            }
        }
        int documents = index.Documents;
        long totalLength = index.TotalLength;
        if (snapshot.AnyExpiring)
        {
            RemoveExpired(index, state, nowTicks, postings, df, ref documents, ref totalLength);
        }

        float k1 = index.Definition.K1, b = index.Definition.B;
        float avgdl = documents <= 0 || totalLength <= 0 ? 1f : (float)(totalLength / (double)documents);
        var cursors = new Cursor[n];
        var bounds = new float[n];
        for (int i = 0; i < n; i++)
        {
            int termDocs = Math.Clamp(df[i], 0, Math.Max(documents, 0));
            float idf = (float)Math.Log(1 + ((documents - termDocs + 0.5D) / (termDocs + 0.5D)));
            float weight = idf * query.Scoring[i].Weight * (k1 + 1);
            cursors[i] = postings[i] is { } p ? new Cursor(p, rowCount, weight) : new Cursor(weight);
            float maxTf = postings[i]?.MaxFrequency ?? 0;
            bounds[i] = maxTf == 0 ? 0 : weight * maxTf / (maxTf + (k1 * (1 - b)));
        }
        var context = new Context(index, state, query, k1, b, avgdl);
        LastScoredForTests = 0;

        if (query.Required.Count > 0)
        {
            Conjunctive(context, cursors, ref filter, heap, rowCount);
        }
        else
        {
            MaxScore(context, cursors, bounds, ref filter, heap);
        }
    }

    private static void Conjunctive<TFilter>(Context context, Cursor[] cursors, ref TFilter filter, TopKHeap heap, int rowCount)
        where TFilter : struct, IRowFilter
    {
        var required = new List<Cursor>();
        foreach (string term in context.Query.Required)
        {
            required.Add(new Cursor(context.Index.Postings(term)!, rowCount, 0));
        }
        required.Sort((x, y) => x.Count.CompareTo(y.Count));
        Cursor lead = required[0];
        for (; lead.Position < lead.Count; lead.Position++)
        {
            int row = lead.Rows[lead.Position];
            bool all = true;
            for (int r = 1; r < required.Count && all; r++)
            {
                all = required[r].AdvanceTo(row) == row;
            }
            if (!all)
            {
                continue;
            }
            float score = 0;
            float norm = context.Norm(row);
            LastScoredForTests++;
            for (int i = 0; i < cursors.Length; i++)
            {
                if (cursors[i].AdvanceTo(row) == row)
                {
                    score += cursors[i].Score(norm);
                }
            }
            Offer(context, row, score, ref filter, heap);
        }
    }

    private static void MaxScore<TFilter>(Context context, Cursor[] cursors, float[] bounds, ref TFilter filter, TopKHeap heap)
        where TFilter : struct, IRowFilter
    {
        int n = cursors.Length;
        int[] order = [.. Enumerable.Range(0, n).OrderBy(i => bounds[i])];
        var sorted = new Cursor[n];
        var prefix = new float[n]; // prefix[i]: the bounds of sorted[0..i] summed
        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            sorted[i] = cursors[order[i]];
            sum += bounds[order[i]];
            prefix[i] = sum;
        }
        int essential = 0; // sorted[essential..] are walked; sorted[..essential] only looked up
        while (true)
        {
            int row = int.MaxValue;
            for (int i = essential; i < n; i++)
            {
                if (sorted[i].Position < sorted[i].Count)
                {
                    row = Math.Min(row, sorted[i].Rows[sorted[i].Position]);
                }
            }
            if (row == int.MaxValue)
            {
                return;
            }
            float norm = context.Norm(row);
            float score = 0;
            LastScoredForTests++;
            for (int i = essential; i < n; i++)
            {
                Cursor c = sorted[i];
                if (c.Position < c.Count && c.Rows[c.Position] == row)
                {
                    score += c.Score(norm);
                    c.Position++;
                }
            }
            bool full = heap.Count == heap.K;
            bool hopeless = false;
            for (int i = essential - 1; i >= 0; i--)
            {
                if (full && score + prefix[i] <= heap.Threshold)
                {
                    hopeless = true; // even every remaining term at its best cannot lift it into the top k
                    break;
                }
                if (sorted[i].AdvanceTo(row) == row)
                {
                    score += sorted[i].Score(norm);
                }
            }
            if (hopeless)
            {
                continue;
            }
            if (Offer(context, row, score, ref filter, heap) && heap.Count == heap.K)
            {
                while (essential < n && prefix[essential] <= heap.Threshold)
                {
                    essential++;
                }
            }
        }
    }

    /// <summary>Checks the row's exclusions, filter and phrases, and offers it to the heap; true when it entered.</summary>
    private static bool Offer<TFilter>(Context context, int row, float score, ref TFilter filter, TopKHeap heap)
        where TFilter : struct, IRowFilter
    {
        if (heap.Count == heap.K && score <= heap.Threshold)
        {
            return false; // rows come in ascending order: a tie with the k-th best loses to its smaller row
        }
        TextQuery query = context.Query;
        foreach (string excluded in query.Excluded)
        {
            if (context.Index.Postings(excluded) is { } p)
            {
                var (rows, frequencies, count) = p.Read();
                if (TermPostings.FrequencyOf(rows, frequencies, count, row) > 0)
                {
                    return false;
                }
            }
        }
        if (!filter.Accept(row))
        {
            return false;
        }
        if (query.RequiredPhrases.Count > 0 || query.ExcludedPhrases.Count > 0)
        {
            List<AnalyzedToken> document = context.Index.AnalyzeDocument(context.State.Row(row).Payload);
            foreach (AnalyzedToken[] phrase in query.RequiredPhrases)
            {
                if (!TextQuery.ContainsPhrase(document, phrase))
                {
                    return false;
                }
            }
            foreach (AnalyzedToken[] phrase in query.ExcludedPhrases)
            {
                if (TextQuery.ContainsPhrase(document, phrase))
                {
                    return false;
                }
            }
        }
        heap.Push(score, row);
        return true;
    }

    /// <summary>Takes expired records (still live until a checkpoint drops them) out of the statistics.</summary>
    private static void RemoveExpired(TextIndex index, CollectionState state, long nowTicks, TermPostings?[] postings, int[] df, ref int documents, ref long totalLength)
    {
        var (expiring, _, count) = index.ExpiringRows.Read();
        for (int i = 0; i < count; i++)
        {
            int row = expiring[i];
            if (state.DeletedAt(row) != CollectionState.Live)
            {
                continue; // already out of the statistics
            }
            long expires = state.ExpiresAtTicks(row);
            if (expires == 0 || expires > nowTicks)
            {
                continue;
            }
            documents--;
            totalLength -= index.LengthOf(row);
            for (int t = 0; t < postings.Length; t++)
            {
                if (postings[t] is { } p)
                {
                    var (rows, frequencies, n) = p.Read();
                    if (TermPostings.FrequencyOf(rows, frequencies, n, row) > 0)
                    {
                        df[t]--;
                    }
                }
            }
        }
    }

    private sealed class Context(TextIndex index, CollectionState state, TextQuery query, float k1, float b, float avgdl)
    {
        public TextIndex Index { get; } = index;

        public CollectionState State { get; } = state;

        public TextQuery Query { get; } = query;

        /// <summary>BM25's length norm per stored length byte: k1 * (1 - b + b * dl / avgdl), as Lucene caches it.</summary>
        private readonly float[] _norms = BuildNorms(k1, b, avgdl);

        /// <summary>BM25's length norm of a row, with the row's length as Lucene stores it (<see cref="LuceneLengthNorm"/>).</summary>
        public float Norm(int row) => _norms[LuceneLengthNorm.Encode(Index.LengthOf(row))];

        private static float[] BuildNorms(float k1, float b, float avgdl)
        {
            var norms = new float[256];
            for (int code = 0; code < norms.Length; code++)
            {
                norms[code] = k1 * (1 - b + (b * LuceneLengthNorm.Decode((byte)code) / avgdl));
            }
            return norms;
        }
    }

    /// <summary>A position in one term's postings, limited to the snapshot's rows.</summary>
    private sealed class Cursor
    {
        public Cursor(float weight)
        {
            Rows = [];
            Frequencies = [];
            Weight = weight;
        }

        public Cursor(TermPostings postings, int rowCount, float weight)
        {
            var (rows, frequencies, count) = postings.Read();
            int end = Array.BinarySearch(rows, 0, count, rowCount);
            Rows = rows;
            Frequencies = frequencies;
            Count = end >= 0 ? end : ~end;
            Weight = weight;
        }

        public int[] Rows { get; }

        public int[] Frequencies { get; }

        public int Count { get; }

        public float Weight { get; }

        public int Position { get; set; }

        /// <summary>This term's BM25 contribution at the current position, given the row's length norm.</summary>
        public float Score(float norm)
        {
            float tf = Frequencies[Position];
            return Weight * tf / (tf + norm);
        }

        /// <summary>Moves to the first entry at or after <paramref name="row"/> (galloping, then binary search); returns its row or int.MaxValue.</summary>
        public int AdvanceTo(int row)
        {
            if (Position >= Count)
            {
                return int.MaxValue;
            }
            if (Rows[Position] >= row)
            {
                return Rows[Position];
            }
            int step = 1, low = Position, high = Position + 1;
            while (high < Count && Rows[high] < row)
            {
                low = high;
                step <<= 1;
                high = Position + step;
            }
            high = Math.Min(high, Count);
            int at = Array.BinarySearch(Rows, low, high - low, row);
            Position = at >= 0 ? at : ~at;
            return Position < Count ? Rows[Position] : int.MaxValue;
        }
    }
}
