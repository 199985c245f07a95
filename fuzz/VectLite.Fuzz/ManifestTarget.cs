using VectLite.Storage;

namespace VectLite.Fuzz;

/// <summary>
/// The checkpoint manifest of <c>docs</c>, then a read-only open that loads the files it lists. An input that starts
/// with the manifest magic is written as it is (the envelope's own checks); any other input is taken as the JSON body
/// and wrapped in a correct envelope, so mutations reach the JSON reader and everything the manifest drives
/// (schema, file list, lengths, CRCs, LSN, payload indexes).
/// </summary>
internal sealed class ManifestTarget : IFuzzTarget
{
    /// <summary>"VLCKPNT1", the first bytes of a manifest file.</summary>
    private static readonly byte[] MagicBytes = BitConverter.GetBytes(FileMagic.Checkpoint);

    /// <inheritdoc/>
    public string Name => "manifest";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        workspace.Restore(FuzzWorkspace.Docs);
        byte[] file = input.StartsWith(MagicBytes) ? input.ToArray() : ManifestEnvelope.Wrap(FileMagic.Checkpoint, input);
        File.WriteAllBytes(Path.Combine(workspace.CollectionDirectory(FuzzWorkspace.Docs), CheckpointManifest.FileName), file);
        try
        {
            CollectionProbe.OpenAndRead(workspace, FuzzWorkspace.Docs);
        }
        catch (CorruptFileException)
        {
            // the documented refusal
        }
    }
}
