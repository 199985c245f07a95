using VectLite.Vectors;

namespace VectLite.Records;

/// <summary>
/// What a read holds while it runs: a reference on the state (so a checkpoint that replaces it frees it only after the
/// read) and the reader epoch it entered (so a checkpoint that moves the state's vectors to a mapped file frees the RAM
/// rows only after the read). Taken by the engine's <c>AcquireState</c>; released once, in a <c>finally</c>.
/// </summary>
internal readonly struct ReadLease
{
    private readonly ReaderEpochs.Epoch _epoch;

    internal ReadLease(CollectionState state, ReaderEpochs.Epoch epoch)
    {
        State = state;
        _epoch = epoch;
    }

    /// <summary>The state the read works on.</summary>
    internal CollectionState State { get; }

    /// <summary>Leaves the epoch, then drops the state reference.</summary>
    internal void Release()
    {
        _epoch.Exit();
        State.Release();
    }
}
