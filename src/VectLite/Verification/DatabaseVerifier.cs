namespace VectLite.Verification;

/// <summary>
/// Checks a whole database directory: its manifest, then every collection (<see cref="CollectionVerifier"/>). Reads
/// only: takes no lock, creates and deletes nothing, so it runs beside a writer in this or another process.
/// </summary>
internal static class DatabaseVerifier
{
    /// <exception cref="DirectoryNotFoundException"><paramref name="path"/> is not an existing directory.</exception>
    public static VerifyReport Verify(string path, CancellationToken cancellationToken)
    {
        string full = Path.GetFullPath(path);
        if (!Directory.Exists(full))
        {
            throw new DirectoryNotFoundException($"No database at '{full}': the directory does not exist.");
        }

        var files = new List<FileCheck>();
        var manifestCheck = new FileCheck(Path.Combine(full, Database.ManifestFileName), VerifiedFileKind.DatabaseManifest);
        files.Add(manifestCheck);
        try
        {
            Database.ReadManifest(manifestCheck.Path);
        }
        catch (CorruptFileException ex)
        {
            manifestCheck.Damage(ex);
        }
        manifestCheck.Length = CollectionVerifier.LengthOrUnknown(manifestCheck.Path);
        if (File.Exists(Storage.TransactionLog.PathIn(full)))
        {
            files.Add(CheckTransactionLog(full));
        }

        var collections = new List<CollectionVerifyReport>();
        string collectionsPath = Path.Combine(full, Database.CollectionsFolder);
        if (!Directory.Exists(collectionsPath))
        {
            var folder = new FileCheck(collectionsPath, VerifiedFileKind.Other);
            folder.Warning(-1, "the collections folder is missing: the database has no collections");
            files.Add(folder);
        }
        else
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(collectionsPath).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                string name = Path.GetFileName(entry);
                if (Directory.Exists(entry) && !name.StartsWith('.'))
                {
                    collections.Add(CollectionVerifier.Verify(entry, name, cancellationToken));
                    continue;
                }
                var other = new FileCheck(entry, VerifiedFileKind.Other) { Length = CollectionVerifier.LengthOrUnknown(entry) };
                other.Warning(-1, name.StartsWith(Database.TempPrefix, StringComparison.Ordinal) || name.StartsWith(Database.DroppedPrefix, StringComparison.Ordinal)
                    ? "left by an interrupted collection create or drop; the next writer open deletes it"
                    : "not a collection: ignored");
                files.Add(other);
            }
        }
        return new VerifyReport(full, files.ConvertAll(f => f.ToResult()), collections);
    }

    /// <summary>
    /// The transaction log is empty outside a commit; committed transactions left in it (by a crash, or a writer
    /// committing one right now) are completed by the next writer open: a warning, not damage.
    /// </summary>
    private static FileCheck CheckTransactionLog(string databasePath)
    {
        var check = new FileCheck(Storage.TransactionLog.PathIn(databasePath), VerifiedFileKind.TransactionLog);
        check.Length = CollectionVerifier.LengthOrUnknown(check.Path);
        try
        {
            List<Storage.TransactionRecord> pending = Storage.TransactionLog.ReadCommitted(databasePath);
            if (pending.Count > 0)
            {
                check.Warning(-1, $"{pending.Count} committed write batches across collections are not yet complete in every collection's log (a crash, or a commit in progress); the next writer open completes them");
            }
        }
        catch (CorruptFileException ex)
        {
            check.Damage(ex);
        }
        return check;
    }
}
