namespace VectLite.Bench;

/// <summary>
/// hnswlib's memory for <c>n</c> vectors, estimated from the allocations in its <c>hnswalg.h</c> (0.6.2, Debian's
/// libhnswlib-dev, the version the peer compiles against), per vector. An estimate: it counts the payload of every
/// allocation, not the allocator's headers, and the hash map's share is typical of libstdc++, not measured.
/// </summary>
/// <param name="Vectors">Elements.</param>
/// <param name="Level0LinksBytes">size_links_level0_ = maxM0 (2M) x 4 + 4 (link count), per element.</param>
/// <param name="LabelBytes">sizeof(labeltype) = 8, stored beside the vector in the level-0 block.</param>
/// <param name="VectorBytes">data_size_ = dimension x 4, in the level-0 block.</param>
/// <param name="UpperLinksBytes">Expected upper-level links per element: (M x 4 + 4) bytes per level above 0, times
/// the expected number of such levels, sum over l >= 1 of (1/M)^l (getRandomLevel draws floor(-ln(u) / ln(M))).</param>
/// <param name="BookkeepingBytes">linkLists_ (a pointer, 8), element_levels_ (an int, 4) and link_list_locks_ (a
/// std::mutex, 40 on x86-64 glibc) per element.</param>
/// <param name="LabelLookupBytes">label_lookup_, an unordered_map from label to id: about 32 bytes per node (key,
/// value, next pointer, allocator rounding) plus an 8-byte bucket.</param>
/// <param name="FixedBytes">link_list_update_locks_: 65,536 std::mutex whatever n, shared out per element here.</param>
internal sealed record HnswlibMemoryEstimate(
    int Vectors,
    double Level0LinksBytes,
    double LabelBytes,
    double VectorBytes,
    double UpperLinksBytes,
    double BookkeepingBytes,
    double LabelLookupBytes,
    double FixedBytes)
{
    private const int MutexBytes = 40;
    private const int UpdateLocks = 65_536;

    /// <summary>Per element, everything but the vector: the graph, its locks and its id map.</summary>
    public double GraphBytesPerVector => Level0LinksBytes + LabelBytes + UpperLinksBytes + BookkeepingBytes + LabelLookupBytes + FixedBytes;

    /// <summary>Per element, the links and levels alone (level-0 links, upper links, the level int).</summary>
    public double LinksBytesPerVector => Level0LinksBytes + UpperLinksBytes + sizeof(int);

    /// <summary>Per element, with the vector.</summary>
    public double TotalBytesPerVector => GraphBytesPerVector + VectorBytes;

    /// <summary>Expected number of upper-level link lists per element for <paramref name="m"/>: sum over l >= 1 of m^-l.</summary>
    public static double ExpectedUpperLevels(int m)
    {
        double sum = 0;
        for (double term = 1.0 / m; term > 1e-12; term /= m)
        {
            sum += term;
        }
        return sum;
    }

    /// <summary>The estimate for <paramref name="vectors"/> elements of <paramref name="dimension"/> float32 at M = <paramref name="m"/>.</summary>
    public static HnswlibMemoryEstimate For(int vectors, int dimension, int m) => new(
        vectors,
        Level0LinksBytes: (2 * m * sizeof(int)) + sizeof(int),
        LabelBytes: sizeof(ulong),
        VectorBytes: dimension * sizeof(float),
        UpperLinksBytes: ((m * sizeof(int)) + sizeof(int)) * ExpectedUpperLevels(m),
        BookkeepingBytes: IntPtr.Size + sizeof(int) + MutexBytes,
        LabelLookupBytes: 32 + IntPtr.Size,
        FixedBytes: (double)UpdateLocks * MutexBytes / vectors);
}
