using System.Collections.Concurrent;
using VectLite.Records;

namespace VectLite.Indexing.Sparse;

/// <summary>
/// One sparse vector space of a collection: each row's vector (for reads and exact scoring) and the inverted index over
/// them (term -> postings of row and weight), with the statistics <see cref="SparseModifier.Idf"/> needs.
/// </summary>
/// <remarks>
/// <para>Kept current by the writer on every applied operation: an upsert adds its row's postings, a delete or a
/// replacement lowers the live counts (the postings stay, and searches skip rows their snapshot does not see), a
/// checkpoint builds a fresh, compacted state and so a fresh index.</para>
/// <para>Not persisted: opening a collection rebuilds it from the sparse vectors the records file and the log hold.
/// Building is one pass appending each entry to its term's list (no search, no graph), the same order of work as
/// reading a saved index would be, so a separate index file would add a format, checks and a way to disagree with the
/// records without making opening faster.</para>
/// <para>Thread safety: one writer; readers look terms up (a <see cref="ConcurrentDictionary{TKey, TValue}"/>, whose
/// reads take no lock) and read postings below the count they see.</para>
/// </remarks>
internal sealed class SparseVectorIndex
{
    private readonly ChunkedList<SparseVector?> _vectors = new();
    private readonly ConcurrentDictionary<uint, SparsePostings> _terms = new();
    private int _liveVectors;

    public SparseVectorIndex(SparseVectorSpec spec) => Spec = spec;

    public SparseVectorSpec Spec { get; }

    /// <summary>Live rows (not deleted) that hold a vector in this space: N of <see cref="SparseModifier.Idf"/>.</summary>
    public int LiveVectors => Volatile.Read(ref _liveVectors);

    /// <summary>The number of distinct terms ever indexed.</summary>
    public int TermCount => _terms.Count;

    /// <summary>The vector of <paramref name="row"/> (below a published row count), or null when it has none here.</summary>
    public SparseVector? Vector(int row) => row < _vectors.Capacity ? _vectors[row] : null;

    /// <summary>The postings of <paramref name="term"/>, or null when no row ever held it.</summary>
    public SparsePostings? Postings(uint term) => _terms.TryGetValue(term, out SparsePostings? postings) ? postings : null;

    /// <summary>Bytes held by the postings (an estimate).</summary>
    public long MemoryBytes
    {
        get
        {
            long bytes = (long)_vectors.Capacity * IntPtr.Size;
            foreach (KeyValuePair<uint, SparsePostings> term in _terms)
            {
                bytes += 32 + term.Value.MemoryBytes;
            }
            return bytes;
        }
    }

    /// <summary>Makes room for rows below <paramref name="rows"/>. Writer only.</summary>
    public void EnsureCapacity(int rows) => _vectors.EnsureCapacity(rows);

    /// <summary>Sets a new row's vector (null: none) and indexes it. Writer only, rows in increasing order, before they are published.</summary>
    public void Add(int row, SparseVector? vector)
    {
        _vectors[row] = vector;
        if (vector is null)
        {
            return;
        }
        uint[] indices = vector.IndexArray;
        float[] values = vector.ValueArray;
        for (int i = 0; i < indices.Length; i++)
        {
            _terms.GetOrAdd(indices[i], static _ => new SparsePostings()).Add(row, values[i]);
        }
        Volatile.Write(ref _liveVectors, _liveVectors + 1);
    }

    /// <summary>A live row was deleted or replaced: its terms' live counts drop. Writer only.</summary>
    public void RowDeleted(int row)
    {
        if (_vectors[row] is not { } vector)
        {
            return;
        }
        foreach (uint term in vector.IndexArray)
        {
            _terms[term].RowDeleted();
        }
        Volatile.Write(ref _liveVectors, _liveVectors - 1);
    }

    /// <summary>
    /// Qdrant's IDF of a term held by <paramref name="n"/> of <paramref name="total"/> vectors: ln(1 + (N - n + 0.5) / (n + 0.5)).
    /// Always positive, largest for rare terms.
    /// </summary>
    public static double Idf(int total, int n) => Math.Log(1.0 + ((total - n + 0.5) / (n + 0.5)));
}
