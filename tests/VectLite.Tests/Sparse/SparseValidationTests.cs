using VectLite.Tests.Engine;

namespace VectLite.Tests.Sparse;

/// <summary>Bad sparse input is a typed error that names the problem, raised before anything reaches the log.</summary>
public sealed class SparseValidationTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<uint[], float[], string> BadVectors() => new()
    {
        { [5, 9, 5], [1f, 2f, 3f], "Vector 's' has index 5 twice (entries 0 and 2); each index may appear once." },
        { [3, 1, 2, 1], [1f, 2f, 3f, 4f], "Vector 's' has index 1 twice (entries 1 and 3); each index may appear once." },
        { [1, 9], [1f, float.NaN], "Vector 's' has a non-finite weight (NaN) at entry 1 (index 9)." },
        { [4], [float.PositiveInfinity], "Vector 's' has a non-finite weight (∞) at entry 0 (index 4)." },
        { [4, 8], [1f, float.NegativeInfinity], "Vector 's' has a non-finite weight (-∞) at entry 1 (index 8)." },
    };

    [Theory]
    [MemberData(nameof(BadVectors))]
    public void A_bad_sparse_vector_is_refused_whole_batch_before_the_log_and_as_a_query(uint[] indices, float[] weights, string message)
    {
        string log;
        using (Database db = _temp.Open())
        {
            Collection c = db.CreateCollection("docs", new CollectionSchema().AddSparseVector("s"));
            log = Path.Combine(_temp.CollectionDirectory("docs"), "wal.vlwal");
            long before = new FileInfo(log).Length;
            var good = new Record(1).WithSparseVector("s", new SparseVector([1], [1f]));
            var bad = new Record(2).WithSparseVector("s", new SparseVector(indices, weights));
            var ex = Assert.Throws<InvalidVectorException>(() => c.UpsertMany([good, bad]));
            Assert.Equal(message, ex.Message.Replace("Infinity", "∞", StringComparison.Ordinal));
            Assert.Equal("s", ex.VectorName);
            Assert.Equal(VectLiteErrorCode.InvalidVector, ex.Code);
            Assert.Equal(before, new FileInfo(log).Length);
            Assert.Equal(0, c.Count());

            var query = Assert.Throws<InvalidVectorException>(() => c.SearchSparse("s", new SparseVector(indices, weights)));
            Assert.Equal(message, query.Message.Replace("Infinity", "∞", StringComparison.Ordinal));
            Assert.Throws<InvalidVectorException>(() => c.Query(new HybridQuery { Prefetches = [Prefetch.Sparse("s", new SparseVector(indices, weights))] }));
        }
        using (Database db = _temp.Open())
        {
            Assert.Equal(0, db.GetCollection("docs").Count());
        }
    }

    [Fact]
    public void Too_many_entries_are_refused_and_the_limit_itself_is_accepted()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", new CollectionSchema().AddSparseVector("s"));
        uint[] indices = Enumerable.Range(0, SparseVectorSpec.MaxEntries + 1).Select(i => (uint)i).ToArray();
        float[] weights = Enumerable.Repeat(1f, indices.Length).ToArray();
        var ex = Assert.Throws<InvalidVectorException>(() => c.Upsert(new Record(1).WithSparseVector("s", new SparseVector(indices, weights))));
        Assert.Equal("Vector 's' has 65537 entries, more than the limit of 65536.", ex.Message);

        c.Upsert(new Record(1).WithSparseVector("s", new SparseVector(indices.AsSpan(0, SparseVectorSpec.MaxEntries), weights.AsSpan(0, SparseVectorSpec.MaxEntries))));
        Assert.Equal(SparseVectorSpec.MaxEntries, c.Get(1)!.SparseVectors["s"].Count);
    }

    [Fact]
    public void Unknown_spaces_are_typed_errors_on_write_search_and_prefetch()
    {
        using Database db = _temp.Open();
        Collection c = db.CreateCollection("docs", CollectionSchema.SingleVector(2).AddSparseVector("s"));
        var write = Assert.Throws<InvalidRecordException>(() => c.Upsert(new Record(1, new float[] { 1, 0 }).WithSparseVector("other", new SparseVector([1], [1f]))));
        Assert.Contains("sparse vector named 'other', which the schema does not declare", write.Message);

        var search = Assert.Throws<SchemaException>(() => c.SearchSparse("other", new SparseVector([1], [1f])));
        Assert.Contains("no sparse vector space named 'other'", search.Message);
        // A dense vector's name is not a sparse space.
        Assert.Throws<SchemaException>(() => c.SearchSparse(CollectionSchema.DefaultVectorName, new SparseVector([1], [1f])));
        Assert.Throws<SchemaException>(() => c.Query(new HybridQuery { Prefetches = [Prefetch.Sparse("other", new SparseVector([1], [1f]))] }));

        Collection dense = db.CreateCollection("dense", CollectionSchema.SingleVector(2));
        Assert.Contains("has no sparse vector spaces", Assert.Throws<SchemaException>(() => dense.SearchSparse("s", new SparseVector([1], [1f]))).Message);
        Assert.Throws<InvalidRecordException>(() => dense.Upsert(new Record(1, new float[] { 1, 0 }).WithSparseVector("s", new SparseVector([1], [1f]))));
    }

    [Fact]
    public void Schema_names_are_shared_by_dense_and_sparse_vectors_and_a_vector_needs_one_weight_per_index()
    {
        Assert.Throws<SchemaException>(() => CollectionSchema.SingleVector(2, name: "x").AddSparseVector("x"));
        Assert.Throws<SchemaException>(() => new CollectionSchema().AddSparseVector("x").AddVector("x", 2));
        Assert.Throws<SchemaException>(() => new CollectionSchema().AddSparseVector("x").AddSparseVector("x", SparseModifier.Idf));
        Assert.Throws<InvalidNameException>(() => new CollectionSchema().AddSparseVector("../x"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CollectionSchema().AddSparseVector("x", (SparseModifier)9));
        var ex = Assert.Throws<ArgumentException>(() => new SparseVector([1, 2], [1f]));
        Assert.Contains("2 indices, 1 weights", ex.Message);
    }
}
