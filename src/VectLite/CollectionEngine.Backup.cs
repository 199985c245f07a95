using VectLite.Storage;

namespace VectLite;

internal sealed partial class CollectionEngine
{
    /// <summary>
    /// A collection's files as of a backup's consistent point: the checkpoint manifest (its bytes, and the data files
    /// it lists) and how long the log was. Valid while the caller holds the checkpoint gate: only a checkpoint or an
    /// options update replaces the manifest, deletes data files or cuts the log, and both take the gate first.
    /// </summary>
    internal sealed record BackupPoint(string Name, string Directory, byte[] ManifestBytes, CheckpointManifest Manifest, long WalLength, long Lsn);

    /// <summary>
    /// Holds this collection's checkpoint gate for a backup (waiting for a running checkpoint to finish): while held, no
    /// checkpoint runs (an automatic one skips its turn), so the files a <see cref="BackupPoint"/> names stay in place.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting.</exception>
    internal void EnterBackup(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        _checkpointGate.Wait(cancellationToken);
    }

    /// <summary>Test view: true while a checkpoint of this collection could not start (a backup or a checkpoint holds the gate).</summary>
    internal bool CheckpointsHeldBackForTests => _checkpointGate.CurrentCount == 0;

    /// <summary>Releases what <see cref="EnterBackup"/> took.</summary>
    internal void LeaveBackup() => _checkpointGate.Release();

    /// <summary>Takes the writer lock (a backup holds every collection's at once, in name order, for one consistent point).</summary>
    internal void EnterWriterLock() => _writeLock.Enter();

    /// <summary>Releases the writer lock taken by <see cref="EnterWriterLock"/>.</summary>
    internal void ExitWriterLock() => _writeLock.Exit();

    /// <summary>
    /// The backup point: every batch logged so far, none after. The caller holds the checkpoint gate and the writer lock,
    /// so the log ends on a whole frame and nothing is appended until it lets go.
    /// </summary>
    internal BackupPoint FixBackupPoint()
    {
        ThrowIfUnusable();
        if (_wal is null)
        {
            throw new InvalidOperationException($"Collection '{Name}' has no log to back up (in memory or read-only).");
        }
        string manifestPath = Path.Combine(Directory, CheckpointManifest.FileName);
        byte[] bytes = File.ReadAllBytes(manifestPath);
        CheckpointManifest manifest = CheckpointManifest.Read(Directory);
        return new BackupPoint(Name, Directory, bytes, manifest, _wal.Length, _lsn);
    }
}
