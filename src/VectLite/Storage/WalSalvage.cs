namespace VectLite.Storage;

/// <summary>
/// The explicit way out of a damaged log (<see cref="Database.Recover"/>): keeps every batch before the first damage,
/// sets the damaged log aside whole, and cuts the live log at the damage so the collection opens again.
/// </summary>
/// <remarks>
/// Batches after the damage stay in the set-aside copy and are not applied: a batch may depend on the lost one (a
/// delete of a record it inserted, a payload update of a record it replaced), so replaying them over the gap could make
/// a state that never existed. The copy keeps them for inspection.
/// </remarks>
internal static class WalSalvage
{
    /// <summary>The suffix of a set-aside log: <c>wal.vlwal.damaged-20261130T121500Z</c>.</summary>
    public const string BackupInfix = ".damaged-";

    /// <summary>Checks the log at <paramref name="walPath"/> and, if damaged, salvages it. The caller holds the writer lock.</summary>
    /// <exception cref="StorageException">The copy or the cut failed; the live log is cut only after its copy is durable.</exception>
    public static CollectionRecovery Salvage(IStorageDevice storage, string collection, string walPath, CheckpointManifest checkpoint)
    {
        long checkpointLsn = checkpoint.Lsn;
        var fit = new LoggedBatchFit(checkpoint.Schema, checkpoint.PayloadIndexes);
        WalDamage? damage = null;
        int kept = 0;
        WalReadResult result;
        try
        {
            result = WalReader.Read(walPath, checkpointLsn, (lsn, offset, batch) =>
            {
                List<WalOperation> operations;
                try
                {
                    operations = WalBatchCodec.Decode(batch);
                }
                catch (FormatException ex)
                {
                    throw new UndecodableBatch(new WalDamage(offset, $"batch {lsn} passed its checksum but does not decode ({ex.Message})", offset, lsn));
                }
                if (fit.Check(operations) is { } problem)
                {
                    throw new UndecodableBatch(new WalDamage(offset, $"batch {lsn} passed its checksum but cannot be applied ({problem})", offset, lsn));
                }
                kept++;
            }, salvage: true);
            damage = result.Damage;
        }
        catch (UndecodableBatch stop)
        {
            damage = stop.Damage;
            result = default;
        }

        if (damage is null)
        {
            return new CollectionRecovery(collection, Repaired: false, kept, DamageOffset: -1, Problem: null, BytesSetAside: 0, BackupPath: null);
        }

        long length = new FileInfo(walPath).Length;
        string stamp = walPath + BackupInfix + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string backup = stamp;
        for (int n = 2; File.Exists(backup); n++)
        {
            backup = $"{stamp}-{n}"; // never overwrite an earlier set-aside log
        }
        CopyDurably(storage, walPath, backup);
        storage.SyncDirectory(Path.GetDirectoryName(walPath)!);
        using (IStorageFile live = storage.OpenForWrite(walPath))
        {
            live.SetLength(damage.Offset);
            live.Sync();
        }
        return new CollectionRecovery(collection, Repaired: true, kept, damage.Offset, damage.Problem, length - damage.Offset, backup);
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> (which must not exist) and fsyncs the copy.</summary>
    private static void CopyDurably(IStorageDevice storage, string source, string destination)
    {
        if (File.Exists(destination))
        {
            // never overwrite an earlier set-aside log
            throw new StorageException(VectLiteErrorCode.StorageFailure, destination, "set the damaged log aside as", new IOException("the file exists already"));
        }
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        try
        {
            using IStorageFile copy = storage.Create(destination);
            byte[] buffer = new byte[1 << 20];
            long offset = 0;
            int read;
            while ((read = input.Read(buffer)) > 0)
            {
                copy.Write(buffer.AsSpan(0, read), offset);
                offset += read;
            }
            copy.Sync();
        }
        catch (StorageException)
        {
            // A partial copy would pass for a set-aside log: remove it (best effort; the live log is untouched).
            try
            {
                storage.Delete(destination);
            }
            catch (StorageException)
            {
            }
            throw;
        }
    }

    /// <summary>Ends a salvaging read at a frame whose checksum is right but whose content is not a batch.</summary>
    private sealed class UndecodableBatch(WalDamage damage) : Exception
    {
        public WalDamage Damage { get; } = damage;
    }
}
