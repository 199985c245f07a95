using VectLite.Storage;

namespace VectLite;

/// <summary>
/// What a collection's directory looks like from outside, cheaply: the checkpoint manifest's write time and length
/// (a checkpoint replaces it) and the log's length (every write appends, a checkpoint cuts it back). Two equal stamps
/// mean nobody wrote to the collection in between.
/// </summary>
internal readonly record struct DiskStamp(long ManifestTicks, long ManifestLength, long WalLength)
{
    /// <summary>The stamp of the collection in <paramref name="directory"/>; -1 for a file that is missing.</summary>
    public static DiskStamp Of(string directory)
    {
        var manifest = new FileInfo(Path.Combine(directory, CheckpointManifest.FileName));
        var wal = new FileInfo(Path.Combine(directory, CollectionEngine.WalFileName));
        bool hasManifest = manifest.Exists;
        return new DiskStamp(hasManifest ? manifest.LastWriteTimeUtc.Ticks : -1, hasManifest ? manifest.Length : -1, wal.Exists ? wal.Length : -1);
    }
}
