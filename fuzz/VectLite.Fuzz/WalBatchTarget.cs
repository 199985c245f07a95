using System.Buffers.Binary;
using VectLite.Storage;

namespace VectLite.Fuzz;

/// <summary>
/// One batch body (the operations of a WAL frame), framed by the harness with a correct length, LSN and checksum
/// after the real log's header, so every input reaches the batch decoder and the replay that applies it. A batch
/// that passed its checksum but does not decode must be refused as corruption, never half-applied or thrown untyped.
/// </summary>
internal sealed class WalBatchTarget : IFuzzTarget
{
    /// <inheritdoc/>
    public string Name => "walbatch";

    /// <inheritdoc/>
    public void Run(ReadOnlySpan<byte> input)
    {
        FuzzWorkspace workspace = FuzzWorkspace.Shared;
        workspace.Restore(FuzzWorkspace.Docs);
        byte[] log = Frame(workspace.TemplateFile(FuzzWorkspace.Docs, FuzzWorkspace.WalFileName), workspace.DocsManifest.Lsn + 1, input);
        File.WriteAllBytes(Path.Combine(workspace.CollectionDirectory(FuzzWorkspace.Docs), FuzzWorkspace.WalFileName), log);
        WalTarget.RecoverAppendReopen(workspace);
    }

    /// <summary>A log made of <paramref name="templateLog"/>'s file header and one frame holding <paramref name="batch"/> at <paramref name="lsn"/>.</summary>
    internal static byte[] Frame(byte[] templateLog, long lsn, ReadOnlySpan<byte> batch)
    {
        var log = new byte[WalFormat.FileHeaderSize + WalFormat.FrameHeaderSize + batch.Length];
        templateLog.AsSpan(0, WalFormat.FileHeaderSize).CopyTo(log);
        Span<byte> header = log.AsSpan(WalFormat.FileHeaderSize, WalFormat.FrameHeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(header, batch.Length);
        BinaryPrimitives.WriteInt64LittleEndian(header[8..], lsn);
        batch.CopyTo(log.AsSpan(WalFormat.FileHeaderSize + WalFormat.FrameHeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], WalWriter.FrameChecksum(header[..4], header[8..16], batch));
        return log;
    }
}
