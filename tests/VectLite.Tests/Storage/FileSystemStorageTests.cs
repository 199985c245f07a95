using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// The production device and its files against a temporary directory: each operation does what the engine relies on
/// (positioned writes, truncation, replacing renames, recursive deletes, directory fsync), and each failure the
/// operating system raises comes back as a <see cref="StorageException"/> naming the path and the operation, typed
/// StorageFull only for a full disk or quota (the errno values are Linux's, written here as literals).
/// </summary>
public sealed class FileSystemStorageTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("vectlite-fsstorage-");
    private static readonly FileSystemStorage Storage = FileSystemStorage.Instance;

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static StorageException Fails<TInner>(Action action, string path, string operation)
        where TInner : Exception
    {
        var ex = Assert.Throws<StorageException>(action);
        Assert.Equal(VectLiteErrorCode.StorageFailure, ex.Code);
        Assert.Equal(path, ex.FilePath);
        Assert.Equal(operation, ex.Operation);
        Assert.IsAssignableFrom<TInner>(ex.InnerException);
        Assert.StartsWith($"Cannot {operation} '{path}': ", ex.Message);
        return ex;
    }

    [Fact]
    public void A_created_file_takes_positioned_writes_truncation_and_fsync()
    {
        string path = PathOf("a");
        File.WriteAllBytes(path, [9, 9, 9, 9, 9, 9]);
        using (IStorageFile file = Storage.Create(path)) // replaces what was there
        {
            Assert.Equal(path, file.Path);
            Assert.Equal(0, file.Length);
            file.Write([1, 2, 3], 0);
            file.Write([4, 5], 5);
            Assert.Equal(7, file.Length);
            file.SetLength(6);
            Assert.Equal(6, file.Length);
            file.Sync();
        }
        Assert.Equal(new byte[] { 1, 2, 3, 0, 0, 4 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_file_opened_for_writing_keeps_its_bytes()
    {
        string path = PathOf("a");
        File.WriteAllBytes(path, [1, 2, 3]);
        using (IStorageFile file = Storage.OpenForWrite(path))
        {
            Assert.Equal(3, file.Length);
            file.Write([7], 1);
            file.SetLength(4);
            file.Sync();
        }
        Assert.Equal(new byte[] { 1, 7, 3, 0 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void Disposing_a_file_closes_it()
    {
        string path = PathOf("a");
        IStorageFile file = Storage.Create(path);
        file.Dispose();
        // The created file is opened share-deny-all (an exclusive flock on Linux): a shared open succeeds only once it is closed.
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
    }

    [Fact]
    public void Creating_or_opening_where_it_cannot_be_is_a_storage_failure()
    {
        string inMissing = Path.Combine(_dir.FullName, "gone", "a");
        Fails<DirectoryNotFoundException>(() => Storage.Create(inMissing), inMissing, "create");
        Fails<FileNotFoundException>(() => Storage.OpenForWrite(PathOf("none")), PathOf("none"), "open for writing");
        Fails<UnauthorizedAccessException>(() => Storage.OpenForWrite(_dir.FullName), _dir.FullName, "open for writing"); // a directory
    }

    [Fact]
    public void A_move_replaces_the_destination()
    {
        File.WriteAllBytes(PathOf("a"), [1]);
        File.WriteAllBytes(PathOf("b"), [2, 2]);
        Storage.Move(PathOf("a"), PathOf("b"));
        Assert.False(File.Exists(PathOf("a")));
        Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(PathOf("b")));

        Fails<FileNotFoundException>(() => Storage.Move(PathOf("a"), PathOf("c")), PathOf("a"), $"rename to '{PathOf("c")}'");
    }

    [Fact]
    public void A_directory_move_moves_its_files()
    {
        Directory.CreateDirectory(PathOf("d"));
        File.WriteAllBytes(Path.Combine(PathOf("d"), "f"), [3]);
        Storage.MoveDirectory(PathOf("d"), PathOf("e"));
        Assert.False(Directory.Exists(PathOf("d")));
        Assert.Equal(new byte[] { 3 }, File.ReadAllBytes(Path.Combine(PathOf("e"), "f")));

        Fails<DirectoryNotFoundException>(() => Storage.MoveDirectory(PathOf("d"), PathOf("x")), PathOf("d"), $"rename to '{PathOf("x")}'");
    }

    [Fact]
    public void Directories_are_created_with_their_parents_and_deleted_with_their_contents()
    {
        string nested = Path.Combine(PathOf("p"), "q");
        Storage.CreateDirectory(nested);
        Storage.CreateDirectory(nested); // already there: nothing to do
        File.WriteAllBytes(Path.Combine(nested, "f"), [1]);

        Storage.DeleteDirectory(PathOf("p"));
        Assert.False(Directory.Exists(PathOf("p")));

        File.WriteAllBytes(PathOf("file"), [1]);
        Fails<IOException>(() => Storage.CreateDirectory(PathOf("file")), PathOf("file"), "create the directory");
        Fails<DirectoryNotFoundException>(() => Storage.DeleteDirectory(PathOf("p")), PathOf("p"), "delete the directory");
    }

    [Fact]
    public void Deleting_a_file_removes_it_and_a_missing_file_is_no_error()
    {
        File.WriteAllBytes(PathOf("a"), [1]);
        Storage.Delete(PathOf("a"));
        Assert.False(File.Exists(PathOf("a")));
        Storage.Delete(PathOf("a"));

        Directory.CreateDirectory(PathOf("d"));
        Fails<UnauthorizedAccessException>(() => Storage.Delete(PathOf("d")), PathOf("d"), "delete"); // a directory
    }

    [Fact]
    public void Syncing_a_directory_succeeds_and_closes_what_it_opened()
    {
        // Every entry of /proc/self/fd: GetFiles would leave out the descriptors of directories (links to directories).
        int before = Directory.GetFileSystemEntries("/proc/self/fd").Length;
        for (int i = 0; i < 200; i++)
        {
            Storage.SyncDirectory(_dir.FullName);
        }
        // Other tests run in parallel and open files meanwhile: a leak of one descriptor per call shows as 200 more.
        int opened = Directory.GetFileSystemEntries("/proc/self/fd").Length - before;
        Assert.True(opened < 100, $"{opened} more descriptors open");
    }

    [Fact]
    public void Syncing_a_missing_directory_or_a_file_is_a_storage_failure_with_its_errno()
    {
        StorageException missing = Fails<IOException>(() => Storage.SyncDirectory(PathOf("gone")), PathOf("gone"), "open the directory to sync it");
        Assert.Equal("open failed (errno 2)", missing.InnerException!.Message); // ENOENT
        Assert.Equal(2, missing.InnerException.HResult);

        File.WriteAllBytes(PathOf("file"), [1]);
        StorageException notDirectory = Fails<IOException>(() => Storage.SyncDirectory(PathOf("file")), PathOf("file"), "open the directory to sync it");
        Assert.Equal("open failed (errno 20)", notDirectory.InnerException!.Message); // ENOTDIR: opened with O_DIRECTORY
    }

    /// <summary>
    /// Regression: the directory sync opened with 0x10000 on every Linux, which is O_DIRECTORY on x86-64 but O_DIRECT on
    /// Arm64 (arch/arm64/include/uapi/asm/fcntl.h: O_DIRECTORY 040000, O_DIRECT 0200000); a directory opened with
    /// O_DIRECT is EINVAL (seen on this x86-64 machine's ext4 with its own O_DIRECT, 0x4000), so every directory fsync
    /// failed on Linux Arm64. The values are the kernel headers', as literals.
    /// </summary>
    [Theory]
    [InlineData(System.Runtime.InteropServices.Architecture.X64, 0x10000)]
    [InlineData(System.Runtime.InteropServices.Architecture.X86, 0x10000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm64, 0x4000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Arm, 0x4000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Armv6, 0x4000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Ppc64le, 0x4000)]
    [InlineData(System.Runtime.InteropServices.Architecture.Wasm, 0)]
    public void The_directory_flag_is_O_DIRECTORY_of_each_architecture(System.Runtime.InteropServices.Architecture architecture, int flag)
    {
        Assert.Equal(flag, FileSystemStorage.OpenDirectoryLinux(architecture));
    }

    [Fact]
    public void A_write_through_a_read_only_handle_is_a_storage_failure()
    {
        string path = PathOf("a");
        File.WriteAllBytes(path, [1, 2]);
        using var file = new FileSystemStorageFile(path, File.OpenHandle(path, FileMode.Open, FileAccess.Read));
        Fails<UnauthorizedAccessException>(() => file.Write([1], 0), path, "write to"); // EBADF
        Fails<IOException>(() => file.SetLength(1), path, "set the length of");
    }

    [Theory]
    [InlineData(28, true)]   // ENOSPC
    [InlineData(122, true)]  // EDQUOT on Linux
    [InlineData(69, false)]  // EDQUOT on macOS, ENOSR on Linux
    [InlineData(5, false)]   // EIO
    [InlineData(0, false)]
    public void Only_a_full_disk_or_quota_is_StorageFull(int errno, bool full)
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the errno values are Linux's
        }
        var io = new IOException("test", errno);
        Assert.Equal(full, StorageErrors.IsDiskFull(io));
        StorageException ex = StorageErrors.Translate(io, "/x/y", "write to");
        Assert.Equal(full ? VectLiteErrorCode.StorageFull : VectLiteErrorCode.StorageFailure, ex.Code);
        Assert.Equal("/x/y", ex.FilePath);
        Assert.Equal("write to", ex.Operation);
        Assert.Same(io, ex.InnerException);
    }

    [Fact]
    public void Only_IO_and_access_errors_are_IO_failures()
    {
        Assert.True(StorageErrors.IsIOFailure(new IOException()));
        Assert.True(StorageErrors.IsIOFailure(new FileNotFoundException()));
        Assert.True(StorageErrors.IsIOFailure(new UnauthorizedAccessException()));
        Assert.False(StorageErrors.IsIOFailure(new InvalidOperationException()));
        Assert.False(StorageErrors.IsIOFailure(new ObjectDisposedException("x")));

        Assert.False(StorageErrors.IsDiskFull(new UnauthorizedAccessException("full", new IOException("x", 28))));
    }

    [Fact]
    public void Operations_on_a_disposed_file_are_not_storage_failures()
    {
        IStorageFile file = Storage.Create(PathOf("a"));
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.Length);
        Assert.Throws<ObjectDisposedException>(() => file.Write([1], 0));
        Assert.Throws<ObjectDisposedException>(() => file.SetLength(0));
        Assert.Throws<ObjectDisposedException>(() => file.Sync());
    }
}
