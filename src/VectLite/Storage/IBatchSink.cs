namespace VectLite.Storage;

/// <summary>
/// Where a large log batch's encoding goes piece by piece (<see cref="WalBatchCodec.Encode(IReadOnlyList{WalOperation}, BinaryBuffer, IBatchSink)"/>)
/// instead of being held whole: a bulk load's batch is hundreds of megabytes, and holding it means writing that much
/// memory the process has not touched before, which in a virtual machine costs about as much as the log write itself.
/// </summary>
internal interface IBatchSink
{
    /// <summary>Takes the next piece of the batch; <paramref name="bytes"/> is valid only during the call.</summary>
    void Write(ReadOnlySpan<byte> bytes);
}
