using System.Runtime.InteropServices;

namespace VectLite.Storage;

/// <summary>
/// The file-system steps durability rests on: write a file under a temporary name, fsync it, rename it into place,
/// fsync the directory so the rename itself survives a power cut.
/// </summary>
internal static partial class DurableFile
{
    /// <summary>The suffix of files being written; any left behind by a crash are deleted at the next writer open.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> atomically: readers see the old file or the new one, never a mix.</summary>
    public static void WriteAtomic(string path, ReadOnlySpan<byte> content)
    {
        string temp = path + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Renames a fully written and synced temporary file into place (the caller syncs the directory once for a group).</summary>
    public static void Commit(string tempPath, string finalPath) => File.Move(tempPath, finalPath, overwrite: true);

    /// <summary>
    /// Makes the directory's entries (creations, renames, deletions) durable. On Linux and macOS this is an fsync of the
    /// directory; Windows has no such call and NTFS journals metadata, so it is a no-op there.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(directory, OpenReadOnly | (OperatingSystem.IsLinux() ? OpenDirectoryLinux : 0));
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }
        try
        {
            if (FSync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system does not support syncing directories (some FUSE and network mounts).
                if (errno != EInval)
                {
                    throw new IOException($"fsync of directory '{directory}' failed (errno {errno}).");
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int OpenReadOnly = 0;
    private const int OpenDirectoryLinux = 0x10000; // O_DIRECTORY on Linux x86-64 and arm64
    private const int EInval = 22;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
