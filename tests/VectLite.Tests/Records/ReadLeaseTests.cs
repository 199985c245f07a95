using VectLite.Records;

namespace VectLite.Tests.Records;

/// <summary>
/// What a read holds (<see cref="ReadLease"/>): releasing it must leave its reader epoch (so memory a checkpoint retired
/// while the read ran is freed) and drop its reference on the state (so a state the collection replaced is freed once its
/// owner lets go). A lease that kept either would leak the old state's vectors for the life of the process.
/// </summary>
public sealed class ReadLeaseTests
{
    [Fact]
    public void Releasing_a_lease_frees_what_was_retired_during_the_read_and_drops_its_reference()
    {
        var state = new CollectionState(CollectionSchema.MetadataOnly(), [], 0);
        Assert.True(state.TryAcquire()); // as the engine's AcquireState: a reference, then the epoch
        var lease = new ReadLease(state, state.Epochs.Enter());
        Assert.Same(state, lease.State);

        // A checkpoint retires memory while the read runs: it waits for the reader.
        var retired = new CountingDisposable();
        state.Epochs.Retire(retired);
        Assert.Equal((0, 1), (retired.Disposals, state.Epochs.PendingCount));

        lease.Release();
        Assert.Equal((1, 0), (retired.Disposals, state.Epochs.PendingCount));

        // The owner's reference was the last one: the state is freed and no new read can take it.
        state.Release();
        Assert.False(state.TryAcquire());
    }

    private sealed class CountingDisposable : IDisposable
    {
        public int Disposals { get; private set; }

        public void Dispose() => Disposals++;
    }
}
