using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The one rule replay, salvage and verification share for a decoded batch: every upsert matches the schema's named
/// vectors (count and dimensions), sparse spaces and multi-vector spaces (count and token dimension), and no payload
/// index is created over one of another kind, the batch's own index changes taken into account in order. Each problem
/// is checked by its exact message (written here as literals).
/// </summary>
public sealed class LoggedBatchFitTests
{
    /// <summary>Vectors "a" (3) and "b" (2), sparse space "s", multi-vector space "m" of dimension 2.</summary>
    private static CollectionSchema Schema() =>
        CollectionSchema.SingleVector(3, Metric.L2, "a").AddVector("b", 2).AddSparseVector("s").AddMultiVector("m", 2);

    private static LoggedBatchFit Fit(params (string Field, PayloadIndexKind Kind)[] indexes) => new(Schema(), indexes);

    private static readonly SparseVector Sparse = new([1u], [0.5f]);

    private static WalOperation Upsert(float[][] vectors, SparseVector?[]? sparse = null, float[][]?[]? multi = null) =>
        WalOperation.Upsert(new StoredRecord(new RecordId(1), "", 0, (byte[]?)null, [.. vectors.Select(v => (ReadOnlyMemory<float>)v)], sparse ?? [Sparse], multi ?? [[[1, 2], [3, 4]]]));

    private static float[][] Fitting => [[1, 2, 3], [4, 5]];

    private static WalOperation Delete => WalOperation.Delete(new RecordId(1), "");

    [Fact]
    public void A_batch_that_fits_has_no_problem()
    {
        Assert.Null(Fit().Check([Upsert(Fitting), Delete, Upsert(Fitting, [null], [null])]));
        Assert.Null(Fit().Check([]));
    }

    [Fact]
    public void A_multi_vector_space_with_no_tokens_fits()
    {
        Assert.Null(Fit().Check([Upsert(Fitting, multi: [[]])]));
    }

    [Fact]
    public void Too_few_or_too_many_named_vectors_do_not_fit()
    {
        Assert.Equal("operation 1 carries 1 vectors, the schema has 2", Fit().Check([Upsert(Fitting), Upsert([[1, 2, 3]])]));
        Assert.Equal("operation 0 carries 3 vectors, the schema has 2", Fit().Check([Upsert([[1, 2, 3], [4, 5], [6, 7]])]));
    }

    [Fact]
    public void A_vector_of_another_dimension_does_not_fit()
    {
        Assert.Equal("operation 0 has a vector 'a' of dimension 2, the schema says 3", Fit().Check([Upsert([[1, 2], [4, 5]])]));
        Assert.Equal("operation 0 has a vector 'b' of dimension 3, the schema says 2", Fit().Check([Upsert([[1, 2, 3], [4, 5, 6]])]));
        Assert.Equal("operation 0 has a vector 'b' of dimension 1, the schema says 2", Fit().Check([Upsert([[1, 2, 3], [4]])]));
    }

    [Fact]
    public void Another_number_of_sparse_spaces_does_not_fit()
    {
        Assert.Equal("operation 0 carries 0 sparse vector spaces, the schema has 1", Fit().Check([Upsert(Fitting, sparse: [])]));
        Assert.Equal("operation 0 carries 2 sparse vector spaces, the schema has 1", Fit().Check([Upsert(Fitting, sparse: [Sparse, null])]));
    }

    [Fact]
    public void Another_number_of_multi_vector_spaces_does_not_fit()
    {
        Assert.Equal("operation 0 carries 0 multi-vector spaces, the schema has 1", Fit().Check([Upsert(Fitting, multi: [])]));
        Assert.Equal("operation 0 carries 2 multi-vector spaces, the schema has 1", Fit().Check([Upsert(Fitting, multi: [null, null])]));
    }

    [Fact]
    public void Tokens_of_another_dimension_do_not_fit()
    {
        Assert.Equal("operation 0 has multi-vector 'm' tokens of dimension 3, the schema says 2", Fit().Check([Upsert(Fitting, multi: [[[1, 2, 3]]])]));
        Assert.Equal("operation 0 has multi-vector 'm' tokens of dimension 1, the schema says 2", Fit().Check([Upsert(Fitting, multi: [[[1]]])]));
    }

    [Fact]
    public void A_metadata_only_collection_takes_upserts_without_vectors()
    {
        var fit = new LoggedBatchFit(CollectionSchema.MetadataOnly(), []);
        Assert.Null(fit.Check([WalOperation.Upsert(new StoredRecord(new RecordId(1), "", 0, (byte[]?)null, []))]));
        Assert.Equal("operation 0 carries 1 vectors, the schema has 0",
            fit.Check([WalOperation.Upsert(new StoredRecord(new RecordId(1), "", 0, (byte[]?)null, [new float[] { 1 }]))]));
    }

    [Fact]
    public void An_index_of_another_kind_than_the_checkpoints_does_not_fit()
    {
        Assert.Equal("operation 0 creates a Numeric index on 'x', which has a Keyword index",
            Fit(("x", PayloadIndexKind.Keyword)).Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Numeric)]));
        Assert.Equal("operation 0 creates a Keyword index on 'x', which has a Bool index",
            Fit(("x", PayloadIndexKind.Bool)).Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Keyword)]));
    }

    [Fact]
    public void An_index_of_the_same_kind_again_or_a_new_field_fits()
    {
        Assert.Null(Fit(("x", PayloadIndexKind.Numeric)).Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Numeric)]));
        Assert.Null(Fit(("x", PayloadIndexKind.Keyword)).Check([WalOperation.CreatePayloadIndex("y", PayloadIndexKind.Numeric)]));
        Assert.Null(Fit().Check([WalOperation.CreatePayloadIndex("X", PayloadIndexKind.Bool)]));
    }

    [Fact]
    public void Field_names_are_compared_exactly()
    {
        Assert.Null(Fit(("x", PayloadIndexKind.Keyword)).Check([WalOperation.CreatePayloadIndex("X", PayloadIndexKind.Numeric)]));
    }

    [Fact]
    public void An_index_the_batch_created_is_known_to_later_operations_and_later_batches()
    {
        LoggedBatchFit fit = Fit();
        Assert.Equal("operation 2 creates a Bool index on 'x', which has a Numeric index",
            fit.Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Numeric), Delete, WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Bool)]));

        fit = Fit();
        Assert.Null(fit.Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Numeric)]));
        Assert.Equal("operation 0 creates a Keyword index on 'x', which has a Numeric index",
            fit.Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Keyword)]));
    }

    [Fact]
    public void A_dropped_index_may_be_created_again_of_another_kind()
    {
        Assert.Null(Fit(("x", PayloadIndexKind.Keyword)).Check(
            [WalOperation.DropPayloadIndex("x"), WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Numeric)]));

        LoggedBatchFit fit = Fit(("x", PayloadIndexKind.Keyword));
        Assert.Null(fit.Check([WalOperation.DropPayloadIndex("x")]));
        Assert.Null(fit.Check([WalOperation.CreatePayloadIndex("x", PayloadIndexKind.Bool)]));
    }

    [Fact]
    public void Other_operations_are_not_checked()
    {
        Assert.Null(Fit(("x", PayloadIndexKind.Keyword)).Check(
            [WalOperation.SetExpiry(new RecordId(1), "", 5), WalOperation.SetPayload(new RecordId(1), "", null), WalOperation.DropTextIndex("x")]));
    }
}
