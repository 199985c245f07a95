using System.Diagnostics;
using VectLite.Storage;

namespace VectLite;

/// <summary>
/// An online backup of a database (<see cref="Database.Backup"/>): a consistent copy of every collection, taken while
/// writes continue, that opens as a normal database.
/// </summary>
/// <remarks>
/// How it works:
/// <list type="number">
/// <item>The target must be new or an empty directory (<see cref="BackupTargetNotEmptyException"/> otherwise), and
/// outside the database's own directory.</item>
/// <item>With collection management held off (no create, drop or close meanwhile) every collection is loaded, and its
/// checkpoint gate taken, in name order: from then until the copy ends no checkpoint runs, so the checkpoint manifest,
/// the data files it lists and the start of the log stay as they are (an automatic checkpoint that comes due skips its
/// turn; a drop or a close waits for the backup).</item>
/// <item>The consistent point: every collection's writer lock, taken at once in name order, and for each the log's
/// length and LSN noted; then the locks are released. A write batch is in the copy if and only if it was logged
/// before this point, in every collection alike, so batches acknowledged before the call are in it and a batch
/// acknowledged after it returns is not. Writers wait only for this step, which reads a small file per collection.</item>
/// <item>With writes continuing, each collection's data files are copied (their CRC32C checked against the manifest's,
/// so a copy never silently holds a damaged file), then the log's first bytes up to the noted length (whole frames:
/// replay at open applies them as it would in the source), each fsynced; then the checkpoint manifest, atomically.</item>
/// <item>Last, the database manifest, atomically, and the directories fsynced. Until it exists the target is not a
/// database (an open refuses it as a non-empty directory with no manifest), so a backup that failed or was cancelled
/// is never mistaken for a good one; its files are removed.</item>
/// </list>
/// </remarks>
internal static class DatabaseBackup
{
    /// <summary>Test hooks, set by tests on one engine: the consistent point (writer locks held) and each collection's copy.</summary>
    internal sealed class Hooks
    {
        /// <summary>Runs with every collection's writer lock held, after the points are noted.</summary>
        public Action? AtConsistentPoint { get; init; }

        /// <summary>Runs before each collection's files are copied (the gates held, the writer locks not), with its name.</summary>
        public Action<string>? BeforeCopy { get; init; }
    }

    /// <summary>Backs up <paramref name="engine"/> into <paramref name="targetDirectory"/>.</summary>
    public static BackupReport Run(DatabaseEngine engine, string targetDirectory, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string target = CheckTarget(engine, targetDirectory);
        IStorageDevice storage = engine.Storage;
        bool created = !Directory.Exists(target);
        Hooks? hooks = engine.BackupHooksForTests;

        var entered = new List<CollectionEngine>();
        byte[]? pendingTransactions = null;
        try
        {
            CollectionEngine.BackupPoint[] points = engine.WithCollectionsHeld(collections =>
            {
                foreach (CollectionEngine collection in collections)
                {
                    collection.EnterBackup(cancellationToken);
                    entered.Add(collection);
                }
                cancellationToken.ThrowIfCancellationRequested();
                int locked = 0;
                // The transaction gate first, as a write batch takes it: no batch across collections is mid-commit
                // at the consistent point, and a committed one the collections do not all have yet (a part that
                // failed after the commit) is copied with them, for the copy's first open to complete.
                lock (engine.TransactionGate)
                {
                    try
                    {
                        foreach (CollectionEngine collection in collections)
                        {
                            collection.EnterWriterLock();
                            locked++;
                        }
                        var fixedPoints = new CollectionEngine.BackupPoint[collections.Length];
                        for (int i = 0; i < collections.Length; i++)
                        {
                            fixedPoints[i] = collections[i].FixBackupPoint();
                        }
                        string transactionLog = TransactionLog.PathIn(engine.Path);
                        if (File.Exists(transactionLog) && new FileInfo(transactionLog).Length > WalFormat.FileHeaderSize)
                        {
                            pendingTransactions = File.ReadAllBytes(transactionLog);
                        }
                        hooks?.AtConsistentPoint?.Invoke();
                        return fixedPoints;
                    }
                    finally
                    {
                        for (int i = locked - 1; i >= 0; i--)
                        {
                            collections[i].ExitWriterLock();
                        }
                    }
                }
            });

            storage.CreateDirectory(target);
            string collectionsFolder = Path.Combine(target, Database.CollectionsFolder);
            storage.CreateDirectory(collectionsFolder);
            var copied = new List<CollectionBackup>(points.Length);
            foreach (CollectionEngine.BackupPoint point in points)
            {
                hooks?.BeforeCopy?.Invoke(point.Name);
                copied.Add(CopyCollection(storage, point, Path.Combine(collectionsFolder, point.Name), cancellationToken));
            }
            storage.SyncDirectory(collectionsFolder);

            if (pendingTransactions is not null)
            {
                DurableFile.WriteAtomic(storage, TransactionLog.PathIn(target), pendingTransactions);
            }

            cancellationToken.ThrowIfCancellationRequested(); // the last point where the target is not yet a database
            byte[] databaseManifest = File.ReadAllBytes(Path.Combine(engine.Path, Database.ManifestFileName));
            DurableFile.WriteAtomic(storage, Path.Combine(target, Database.ManifestFileName), databaseManifest); // the commit point
            SyncParent(storage, target, created);
            return new BackupReport(target, copied, clock.Elapsed);
        }
        catch
        {
            RemovePartialCopy(storage, target, created);
            throw;
        }
        finally
        {
            foreach (CollectionEngine collection in entered)
            {
                collection.LeaveBackup();
            }
        }
    }

    /// <summary>The target's full path, refused when it is not empty or lies inside the database.</summary>
    private static string CheckTarget(DatabaseEngine engine, string targetDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetDirectory);
        string target = Path.GetFullPath(targetDirectory);
        string source = Path.GetFullPath(engine.Path);
        string relative = Path.GetRelativePath(source, target);
        bool outside = Path.IsPathRooted(relative) || relative == ".."
            || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || relative.StartsWith(".." + Path.AltDirectorySeparatorChar, StringComparison.Ordinal);
        if (!outside)
        {
            throw new ArgumentException($"A backup of '{source}' cannot go into '{target}', inside the database itself: name a directory outside it.", nameof(targetDirectory));
        }
        if (File.Exists(target))
        {
            throw new BackupTargetNotEmptyException(target);
        }
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new BackupTargetNotEmptyException(target);
        }
        return target;
    }

    /// <summary>Copies one collection: data files (checked), the log's prefix, then the checkpoint manifest.</summary>
    private static CollectionBackup CopyCollection(IStorageDevice storage, CollectionEngine.BackupPoint point, string directory, CancellationToken cancellationToken)
    {
        storage.CreateDirectory(directory);
        long bytes = 0;
        foreach (CheckpointFile file in point.Manifest.DataFiles)
        {
            string source = Path.Combine(point.Directory, file.Name);
            if (file == point.Manifest.ValueGraphFile && !File.Exists(source))
            {
                continue; // derived and optional (see CheckpointManifest.ValueGraphFile): the copy opens without it, as the source does
            }
            uint crc = FileCopy.CopyPrefix(storage, source, Path.Combine(directory, file.Name), file.Length, cancellationToken);
            if (crc != file.Crc || new FileInfo(source).Length != file.Length)
            {
                throw new CorruptFileException(source, -1, "its checksum or length disagrees with the checkpoint manifest, so it was not backed up (run `vectlite verify`)");
            }
            bytes += file.Length;
        }
        FileCopy.CopyPrefix(storage, Path.Combine(point.Directory, CollectionEngine.WalFileName), Path.Combine(directory, CollectionEngine.WalFileName), point.WalLength, cancellationToken);
        bytes += point.WalLength;
        DurableFile.WriteAtomic(storage, Path.Combine(directory, CheckpointManifest.FileName), point.ManifestBytes); // syncs the directory
        bytes += point.ManifestBytes.Length;
        return new CollectionBackup(point.Name, point.Lsn, bytes);
    }

    /// <summary>fsyncs the target and, when the backup created it, the directory that holds it.</summary>
    private static void SyncParent(IStorageDevice storage, string target, bool created)
    {
        storage.SyncDirectory(target);
        if (created && Path.GetDirectoryName(target) is { } parent)
        {
            storage.SyncDirectory(parent);
        }
    }

    /// <summary>Removes what a failed or cancelled backup wrote: the target itself if it created it, else its contents.</summary>
    private static void RemovePartialCopy(IStorageDevice storage, string target, bool created)
    {
        try
        {
            if (!Directory.Exists(target))
            {
                return;
            }
            if (created)
            {
                storage.DeleteDirectory(target);
                return;
            }
            foreach (string entry in Directory.EnumerateFileSystemEntries(target))
            {
                if (Directory.Exists(entry))
                {
                    storage.DeleteDirectory(entry);
                }
                else
                {
                    storage.Delete(entry);
                }
            }
        }
        catch (Exception ex) when (ex is StorageException or IOException or UnauthorizedAccessException)
        {
            // Without the database manifest, what is left is not a database: an open refuses it, a new backup too.
        }
    }
}
