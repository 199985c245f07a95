using System.Collections.Concurrent;
using System.Text.Json;
using VectLite.Filtering;
using VectLite.Records;
using VectLite.Text.Analysis;

namespace VectLite.Text;

/// <summary>
/// One full-text index: an inverted index from term to <see cref="TermPostings"/>, each row's document length, and the
/// BM25 corpus statistics of the live documents (count, total length, per-term document frequency). One writer adds
/// and removes rows; many readers search at the same time.
/// </summary>
/// <remarks>
/// <para>Rows are added once each, ascending (the engine appends a row per write). A delete (or the replacement of a row
/// by an update) does not touch the postings: it re-analyzes the row's payload and takes its terms out of the
/// statistics, so they stay those of exactly the live documents. Dead rows leave the postings when a checkpoint
/// rebuilds the state.</para>
/// <para>The statistics are the writer's latest; a reader searching an older snapshot scores with statistics up to the
/// batch being applied (as Lucene's near-real-time readers score with segment statistics that include deletions not
/// yet merged away, but exact here once the batch is published).</para>
/// </remarks>
internal sealed class TextIndex
{
    /// <summary>Positions between two values of a document, so a phrase never matches across values.</summary>
    public const int ValueGap = 100;

    private readonly ConcurrentDictionary<string, TermPostings> _terms = new(StringComparer.Ordinal);
    private readonly ChunkedList<int> _lengths = new();
    private readonly TermPostings _expiringRows = new();
    private long _totalLength;
    private int _documents;
    private int _lastRow = -1;
    private long _analyzed;

    public TextIndex(TextIndexDefinition definition, string origin)
    {
        Definition = definition;
        Origin = origin;
    }

    public TextIndexDefinition Definition { get; }

    /// <summary>How the index came to be: "built" from the rows, or "loaded" from a checkpoint file.</summary>
    public string Origin { get; }

    /// <summary>Documents this index analyzed (added or removed) since it was created or loaded: 0 after a load means no rebuild.</summary>
    public long DocumentsAnalyzed => Interlocked.Read(ref _analyzed);

    /// <summary>Live documents with at least one term: BM25's N.</summary>
    public int Documents => Volatile.Read(ref _documents);

    /// <summary>Terms in the live documents: N times the average document length.</summary>
    public long TotalLength => Interlocked.Read(ref _totalLength);

    /// <summary>Distinct terms ever indexed (dead rows' terms included until a checkpoint).</summary>
    public int TermCount => _terms.Count;

    /// <summary>Rows added so far (writer side).</summary>
    public int RowCount => _lastRow + 1;

    public long MemoryBytes
    {
        get
        {
            long bytes = (long)_lengths.Capacity * sizeof(int);
            foreach (KeyValuePair<string, TermPostings> term in _terms)
            {
                bytes += 48 + (2L * term.Key.Length) + term.Value.MemoryBytes;
            }
            return bytes;
        }
    }

    /// <summary>The postings of <paramref name="term"/>, or null. Any thread.</summary>
    public TermPostings? Postings(string term) => _terms.GetValueOrDefault(term);

    /// <summary>The terms and their postings (for saving). Any thread.</summary>
    public IEnumerable<KeyValuePair<string, TermPostings>> Terms => _terms;

    /// <summary>The document length of <paramref name="row"/> (terms counted by position). Any thread, for published rows.</summary>
    public int LengthOf(int row) => _lengths[row];

    /// <summary>Rows written with an expiry time, ascending (their statistics leave at query time once expired).</summary>
    public TermPostings ExpiringRows => _expiringRows;

    /// <summary>
    /// Checks that every field of the index holds a string, an array of strings, null, or nothing in <paramref name="payload"/>.
    /// Returns the problem, or null.
    /// </summary>
    public string? Check(JsonElement payload)
    {
        foreach (PayloadPath field in Definition.Fields)
        {
            var visitor = new TypeCheck();
            field.Visit(payload, ref visitor);
            if (visitor.Problem is { } kind)
            {
                return $"field '{field.Text}' holds a {kind} value, and text index '{Definition.Name}' indexes only strings and arrays of strings";
            }
        }
        return null;
    }

    /// <summary>The terms of <paramref name="payload"/>'s indexed fields with their positions (values <see cref="ValueGap"/> apart).</summary>
    public List<AnalyzedToken> AnalyzeDocument(JsonElement payload)
    {
        var tokens = new List<AnalyzedToken>();
        int position = 0;
        foreach (PayloadPath field in Definition.Fields)
        {
            var visitor = new TextCollector(Definition.Chain, tokens, position);
            field.Visit(payload, ref visitor);
            position = visitor.Position;
        }
        return tokens;
    }

    /// <summary>Indexes row <paramref name="row"/>. Writer only; rows increase.</summary>
    public void Add(int row, JsonElement payload, bool expiring)
    {
        if (row <= _lastRow)
        {
            throw new ArgumentOutOfRangeException(nameof(row), row, $"Rows must be added in increasing order; the last was {_lastRow}.");
        }
        _lengths.EnsureCapacity(row + 1);
        _lastRow = row;
        if (payload.ValueKind != JsonValueKind.Object)
        {
            _lengths[row] = 0;
            return;
        }
        Interlocked.Increment(ref _analyzed);
        var (frequencies, length) = Count(AnalyzeDocument(payload));
        _lengths[row] = length;
        if (length == 0)
        {
            return;
        }
        foreach ((string term, int frequency) in frequencies)
        {
            _terms.GetOrAdd(term, static _ => new TermPostings()).Add(row, frequency);
        }
        if (expiring)
        {
            _expiringRows.Add(row, 0);
        }
        Interlocked.Exchange(ref _totalLength, _totalLength + length);
        Volatile.Write(ref _documents, _documents + 1);
    }

    /// <summary>Takes live row <paramref name="row"/> (with this payload) out of the statistics. Writer only.</summary>
    public void Remove(int row, JsonElement payload)
    {
        if (row > _lastRow)
        {
            return; // defined after the row: never counted
        }
        int length = _lengths[row];
        if (length == 0)
        {
            return;
        }
        Interlocked.Increment(ref _analyzed);
        var (frequencies, _) = Count(AnalyzeDocument(payload));
        foreach (string term in frequencies.Keys)
        {
            _terms[term].RemoveLive();
        }
        Interlocked.Exchange(ref _totalLength, _totalLength - length);
        Volatile.Write(ref _documents, _documents - 1);
    }

    /// <summary>Adds a row read from a checkpoint file: its length only; <see cref="LoadPostings"/> adds the terms. Writer only.</summary>
    public void AddLoadedRow(int row, int length, bool expiring)
    {
        _lengths.EnsureCapacity(row + 1);
        _lengths[row] = length;
        _lastRow = row;
        if (length > 0)
        {
            _totalLength += length;
            _documents++;
            if (expiring)
            {
                _expiringRows.Add(row, 0);
            }
        }
    }

    /// <summary>Adds a loaded term's postings (rows ascending, all live). Writer only, before the index is published.</summary>
    public void LoadPostings(string term, ReadOnlySpan<int> rows, ReadOnlySpan<int> frequencies)
    {
        var postings = new TermPostings();
        for (int i = 0; i < rows.Length; i++)
        {
            postings.Add(rows[i], frequencies[i]);
        }
        _terms[term] = postings;
    }

    /// <summary>Term frequencies of a document and its length (distinct positions that hold a term).</summary>
    public static (Dictionary<string, int> Frequencies, int Length) Count(List<AnalyzedToken> tokens)
    {
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        int length = 0, lastPosition = -1;
        foreach (AnalyzedToken token in tokens)
        {
            frequencies[token.Term] = frequencies.GetValueOrDefault(token.Term) + 1;
            if (token.Position != lastPosition)
            {
                length++;
                lastPosition = token.Position;
            }
        }
        return (frequencies, length);
    }

    private struct TypeCheck : IPayloadValueVisitor
    {
        public string? Problem { get; private set; }

        public bool Visit(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement element in value.EnumerateArray())
                {
                    if (element.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        Problem = "non-string array element (" + element.ValueKind.ToString().ToLowerInvariant() + ")";
                        return true;
                    }
                }
                return false;
            }
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
            {
                Problem = value.ValueKind.ToString().ToLowerInvariant();
                return true;
            }
            return false;
        }
    }

    private struct TextCollector(AnalyzerChain chain, List<AnalyzedToken> into, int position) : IPayloadValueVisitor
    {
        public int Position { get; private set; } = position;

        public bool Visit(JsonElement value)
        {
            if (value.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement element in value.EnumerateArray())
                {
                    Add(element);
                }
            }
            else
            {
                Add(value);
            }
            return false;
        }

        private void Add(JsonElement value)
        {
            if (value.ValueKind != JsonValueKind.String)
            {
                return;
            }
            int position = Position;
            int before = into.Count;
            chain.Analyze(value.GetString()!, ref position, into);
            Position = into.Count > before || position > Position ? position + ValueGap : Position;
        }
    }
}
