using VectLite.Records;
using VectLite.Storage;

namespace VectLite;

// A large batch's dense vectors copied once, into the rows the records will take, instead of into arrays of their own
// first and into the rows at the apply: a bulk load of 60,000 784-d vectors made 188 MB of arrays the process had never
// touched, about 0.6 s in a virtual machine (docs/tuning.md, Bulk loads).
internal sealed partial class CollectionEngine
{
    /// <summary>The fewest records of an <see cref="UpsertMany(IEnumerable{Record})"/> batch whose vectors are staged (<see cref="StageVectors"/>).</summary>
    internal const int StagedBatchRecords = 2 * PrepareRange;

    /// <summary>
    /// Whether the dense vectors of <paramref name="list"/> (the batch as a <see cref="Record"/> array or list, empty
    /// otherwise) are staged: a batch of at least <see cref="StagedBatchRecords"/> records of a collection with dense vectors.
    /// </summary>
    private static bool StagesVectors(CollectionSchema schema, IReadOnlyList<Record> list) =>
        schema.Vectors.Count > 0 && list.Count >= StagedBatchRecords;

    /// <summary>
    /// Copies each upsert's dense vectors (the caller's, validated but not copied by <see cref="Prepare"/>) into the
    /// arena rows the upserts will take when applied, the state's next rows in the batch's order, validates the copies
    /// and points the records at them (<see cref="CollectionState.StageVector"/>): the batch is logged from these rows,
    /// and applying it copies nothing. On <paramref name="threads"/> threads in ranges of <see cref="PrepareRange"/>.
    /// </summary>
    /// <remarks>
    /// <para>The copies are validated again because the caller's vectors were read before: a caller that changed one in
    /// between (another thread writing into an array it passed) gets the error for the value the copy holds, and nothing
    /// is written. What is logged, applied and searched is this one copy, as with a copy of each vector before.</para>
    /// <para>Under the writer lock, held through the commit: the rows past the state's row count are the batch's until it
    /// is applied (no reader looks past the published rows, and no other writer or checkpoint runs). If the batch is
    /// not committed (an error, cancellation, a failed log write), the staged rows are left unused and the next batch
    /// writes over them.</para>
    /// </remarks>
    /// <exception cref="InvalidVectorException">A copy is invalid: the caller changed the vector after it was validated.</exception>
    /// <exception cref="OperationCanceledException">Cancelled while staging: nothing was written.</exception>
    private void StageVectors(List<WalOperation> operations, int threads, CancellationToken cancellationToken)
    {
        StagingForTests?.Invoke();
        CollectionState state = _state;
        CollectionSchema schema = state.Schema;
        int first = state.RowCount;
        int count = operations.Count;
        state.ReserveStagedRows(first + count);
        ForEachInRanges(count, threads, i => StageRecord(state, schema, operations[i].Record!, first + i), cancellationToken);
    }

    /// <summary>
    /// Copies <paramref name="record"/>'s dense vectors into row <paramref name="row"/> (capacity reserved), validates the
    /// copies and points the record at them. Writer lock held.
    /// </summary>
    /// <exception cref="InvalidVectorException">A copy is invalid.</exception>
    private static void StageRecord(CollectionState state, CollectionSchema schema, StoredRecord record, int row)
    {
        ReadOnlyMemory<float>[] vectors = record.Vectors;
        for (int v = 0; v < vectors.Length; v++)
        {
            ReadOnlyMemory<float> staged = state.StageVector(v, row, vectors[v].Span);
            ValidateVector(schema.Vectors[v], staged.Span);
            vectors[v] = staged;
        }
    }

    /// <summary>Test hook: runs under the writer lock as a batch's vectors are about to be staged (after they were validated).</summary>
    internal Action? StagingForTests { get; set; }
}
