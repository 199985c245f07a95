namespace VectLite.Fuzz;

/// <summary>
/// A whole write-ahead log whose header and frame checksums the harness repairs (<see cref="ChecksumRepair.WalFrames"/>):
/// mutated lengths, LSNs and bodies all reach the reader's sequence checks and the batch decoder, which the raw
/// <see cref="WalTarget"/> rarely gets past a checksum to. Then the same recover, append and reopen as there.
/// </summary>
internal sealed class WalFramesTarget : IFuzzTarget
{
    /// <inheritdoc/>
    public string Name => "walframes";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        workspace.Restore(FuzzWorkspace.Docs);
        byte[] log = input.ToArray();
        ChecksumRepair.WalFrames(log);
        File.WriteAllBytes(Path.Combine(workspace.CollectionDirectory(FuzzWorkspace.Docs), FuzzWorkspace.WalFileName), log);
        WalTarget.RecoverAppendReopen(workspace);
    }
}
