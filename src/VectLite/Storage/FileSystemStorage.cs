using System.Runtime.InteropServices;

namespace VectLite.Storage;

/// <summary>The production <see cref="IStorageDevice"/>: the operating system's file calls, errors typed as <see cref="StorageException"/>.</summary>
internal sealed partial class FileSystemStorage : IStorageDevice
{
    /// <summary>The one instance; the type holds no state.</summary>
    public static readonly FileSystemStorage Instance = new();

    private FileSystemStorage()
    {
    }

    public IStorageFile Create(string path)
    {
        try
        {
            return new FileSystemStorageFile(path, File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.None));
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "create");
        }
    }

    public IStorageFile OpenForWrite(string path)
    {
        try
        {
            return new FileSystemStorageFile(path, File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read));
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "open for writing");
        }
    }

    public void Move(string source, string destination)
    {
        try
        {
            File.Move(source, destination, overwrite: true);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, source, $"rename to '{destination}'");
        }
    }

    public void MoveDirectory(string source, string destination)
    {
        try
        {
            Directory.Move(source, destination);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, source, $"rename to '{destination}'");
        }
    }

    public void CreateDirectory(string path)
    {
        try
        {
            Directory.CreateDirectory(path);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "create the directory");
        }
    }

    public void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "delete");
        }
    }

    public void DeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (StorageErrors.IsIOFailure(ex))
        {
            throw StorageErrors.Translate(ex, path, "delete the directory");
        }
    }

    /// <remarks>
    /// On Linux and macOS this is an fsync of the directory; Windows has no such call and NTFS journals metadata, so it
    /// is a no-op there.
    /// </remarks>
    public void SyncDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = Open(path, OpenReadOnly | (OperatingSystem.IsLinux() ? OpenDirectoryLinux(RuntimeInformation.ProcessArchitecture) : 0));
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw StorageErrors.Translate(new IOException($"open failed (errno {errno})", errno), path, "open the directory to sync it");
        }
        try
        {
            if (FSync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // EINVAL: the file system does not support syncing directories (some FUSE and network mounts).
                if (errno != EInval)
                {
                    throw StorageErrors.Translate(new IOException($"fsync failed (errno {errno})", errno), path, "fsync the directory");
                }
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    private const int OpenReadOnly = 0;
    private const int EInval = 22;

    /// <summary>
    /// Linux's O_DIRECTORY on <paramref name="architecture"/>: the kernel numbers it per architecture. 0x10000
    /// (asm-generic) on x86 and x86-64; 0x4000 on Arm, Arm64 and PowerPC (their own asm/fcntl.h). On Arm and Arm64
    /// 0x10000 is O_DIRECT, which a directory refuses with EINVAL: with it every directory fsync failed there. Zero (no
    /// flag) on the architectures not checked: the flag only makes a path that is not a directory fail, and the sync
    /// works without it.
    /// </summary>
    internal static int OpenDirectoryLinux(Architecture architecture) => architecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x10000,
        Architecture.Arm64 or Architecture.Arm or Architecture.Armv6 or Architecture.Ppc64le => 0x4000,
        _ => 0,
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
