using VectLite.Vectors;

namespace VectLite.Tests.Vectors;

/// <summary>The grace period of retired vector memory: freed only once every reader that entered before the retire has left.</summary>
public sealed class ReaderEpochsTests
{
    private sealed class Freed : IDisposable
    {
        public int Count;

        public void Dispose() => Count++;
    }

    [Fact]
    public void Memory_retired_with_no_reader_inside_is_freed_at_once()
    {
        var epochs = new ReaderEpochs();
        var memory = new Freed();
        epochs.Retire(memory);
        Assert.Equal(1, memory.Count);
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void Memory_waits_for_every_reader_that_entered_before_it_was_retired_and_for_no_later_one()
    {
        var epochs = new ReaderEpochs();
        var first = new Freed();
        var second = new Freed();
        ReaderEpochs.Epoch a = epochs.Enter();
        ReaderEpochs.Epoch b = epochs.Enter();
        epochs.Retire(first);               // a and b may hold it
        ReaderEpochs.Epoch c = epochs.Enter(); // entered after: cannot reach it
        epochs.Retire(second);              // a, b and c may hold it
        ReaderEpochs.Epoch d = epochs.Enter();

        a.Exit();
        Assert.Equal((0, 0), (first.Count, second.Count));
        d.Exit();                           // a later reader leaving frees nothing
        Assert.Equal((0, 0), (first.Count, second.Count));
        b.Exit();                           // the last reader from before the first retire
        Assert.Equal((1, 0), (first.Count, second.Count));
        c.Exit();
        Assert.Equal((1, 1), (first.Count, second.Count));
        Assert.Equal(0, epochs.PendingCount);
    }

    [Fact]
    public void A_newer_epoch_emptied_first_waits_for_the_older_one()
    {
        // The second retire's memory was also visible to the reader of the first epoch, so it waits for it too.
        var epochs = new ReaderEpochs();
        var first = new Freed();
        var second = new Freed();
        ReaderEpochs.Epoch old = epochs.Enter();
        epochs.Retire(first);
        ReaderEpochs.Epoch newer = epochs.Enter();
        epochs.Retire(second);
        newer.Exit();
        Assert.Equal((0, 0), (first.Count, second.Count));
        old.Exit();
        Assert.Equal((1, 1), (first.Count, second.Count));
    }

    [Fact]
    public void FreeAll_frees_what_is_pending_once()
    {
        var epochs = new ReaderEpochs();
        var memory = new Freed();
        ReaderEpochs.Epoch reader = epochs.Enter();
        epochs.Retire(memory);
        epochs.FreeAll();
        Assert.Equal(1, memory.Count);
        reader.Exit();
        Assert.Equal(1, memory.Count);
    }
}
