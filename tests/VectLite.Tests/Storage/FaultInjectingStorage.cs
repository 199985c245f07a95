using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// A device that passes every operation to <c>inner</c>, numbers and logs it, and fails operation number
/// <see cref="FailAt"/> (or, with <see cref="FailFromThenOn"/>, every operation from it on) with the I/O error a real
/// file system raises, typed by the engine's own <see cref="StorageErrors.Translate"/>: the SQLite I/O-error test
/// technique, run against VectLite's write paths.
/// </summary>
internal sealed class FaultInjectingStorage(IStorageDevice inner) : IStorageDevice
{
    private const int EIO = 5;
    private const int ENOSPC = 28;

    private readonly Lock _lock = new();
    private readonly List<(StorageOperationKind Kind, string Path)> _log = [];

    /// <summary>The 1-based number of the operation to fail; 0 fails none.</summary>
    public int FailAt { get; set; }

    /// <summary>Fail every operation from <see cref="FailAt"/> on (a disk that stays full), not only that one.</summary>
    public bool FailFromThenOn { get; set; }

    public InjectedFault Fault { get; set; }

    /// <summary>When set, only operations of this kind fail (a full disk fails writes; truncating still frees space).</summary>
    public StorageOperationKind? OnlyKind { get; set; }

    /// <summary>
    /// False: count and fail fsyncs but do not pass them on. For tests that check error handling, not durability, where
    /// hundreds of real fsyncs per run would only make the run slow.
    /// </summary>
    public bool ForwardSyncs { get; init; } = true;

    /// <summary>How many operations were attempted so far (failed ones included).</summary>
    public int OperationCount
    {
        get
        {
            lock (_lock)
            {
                return _log.Count;
            }
        }
    }

    /// <summary>How many operations were failed so far.</summary>
    public int FaultsInjected { get; private set; }

    /// <summary>The first operation failed, if any.</summary>
    public (StorageOperationKind Kind, string Path)? FirstFaulted { get; private set; }

    /// <summary>Every operation attempted, in order.</summary>
    public IReadOnlyList<(StorageOperationKind Kind, string Path)> Log
    {
        get
        {
            lock (_lock)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>How many file fsyncs were done on files whose name is <paramref name="fileName"/>.</summary>
    public int FileSyncs(string fileName) =>
        Log.Count(op => op.Kind == StorageOperationKind.SyncFile && System.IO.Path.GetFileName(op.Path) == fileName);

    /// <summary>Stops injecting: the cause is gone (space freed, the disk answers again).</summary>
    public void ClearFaults() => FailAt = 0;

    public IStorageFile Create(string path) => new FaultInjectingFile(this, Run(StorageOperationKind.Create, path, () => inner.Create(path)));

    public IStorageFile OpenForWrite(string path) => new FaultInjectingFile(this, Run(StorageOperationKind.OpenForWrite, path, () => inner.OpenForWrite(path)));

    public void Move(string source, string destination) => Run(StorageOperationKind.Move, source, () => inner.Move(source, destination));

    public void MoveDirectory(string source, string destination) => Run(StorageOperationKind.MoveDirectory, source, () => inner.MoveDirectory(source, destination));

    public void CreateDirectory(string path) => Run(StorageOperationKind.CreateDirectory, path, () => inner.CreateDirectory(path));

    public void SyncDirectory(string path) => Run(StorageOperationKind.SyncDirectory, path, () =>
    {
        if (ForwardSyncs)
        {
            inner.SyncDirectory(path);
        }
    });

    public void Delete(string path) => Run(StorageOperationKind.Delete, path, () => inner.Delete(path));

    public void DeleteDirectory(string path) => Run(StorageOperationKind.DeleteDirectory, path, () => inner.DeleteDirectory(path));

    internal void Write(IStorageFile file, ReadOnlySpan<byte> bytes, long offset)
    {
        if (ShouldFail(StorageOperationKind.Write, file.Path))
        {
            if (Fault == InjectedFault.ShortWrite && bytes.Length > 1)
            {
                file.Write(bytes[..(bytes.Length / 2)], offset);
            }
            throw Failure(file.Path, "write to");
        }
        file.Write(bytes, offset);
    }

    internal void Run(StorageOperationKind kind, string path, Action action) => Run(kind, path, () =>
    {
        action();
        return true;
    });

    internal T Run<T>(StorageOperationKind kind, string path, Func<T> action)
    {
        if (ShouldFail(kind, path))
        {
            throw Failure(path, kind.ToString());
        }
        return action();
    }

    private bool ShouldFail(StorageOperationKind kind, string path)
    {
        lock (_lock)
        {
            _log.Add((kind, path));
            int number = _log.Count;
            bool fail = FailAt > 0 && (number == FailAt || (FailFromThenOn && number > FailAt)) && (OnlyKind is null || OnlyKind == kind);
            if (fail)
            {
                FaultsInjected++;
                FirstFaulted ??= (kind, path);
            }
            return fail;
        }
    }

    /// <summary>The exception the OS would raise (errno in HResult, as .NET reports it on Unix), typed as the production device types it.</summary>
    private StorageException Failure(string path, string operation)
    {
        int errno = Fault == InjectedFault.IOError ? EIO : ENOSPC;
        int hresult = OperatingSystem.IsWindows() ? (Fault == InjectedFault.IOError ? unchecked((int)0x8007045D) : unchecked((int)0x80070070)) : errno;
        return StorageErrors.Translate(new IOException($"injected {Fault} (errno {errno})", hresult), path, operation);
    }
}
