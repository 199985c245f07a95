using VectLite.Storage;

namespace VectLite.Tests.Storage;

/// <summary>
/// A device that writes through to the real files and, beside them, models what a power cut would leave: for every
/// file what was written since its last fsync, for every directory which creations, renames and deletions are not
/// yet made durable by a directory fsync. <see cref="WriteImage"/> writes one possible post-power-loss state of the
/// whole database directory elsewhere, to be opened and checked; <see cref="BeforeOperation"/> lets a test do that
/// at every operation (each one a crash point) without stopping the workload.
/// </summary>
/// <remarks>
/// The model follows the POSIX rules the engine relies on, and no more: file data and size are durable after fsync
/// of the file; a directory entry (creation, rename, deletion) after fsync of the directory; rename is atomic. Unsynced
/// file changes survive as an in-order prefix with a torn last write or, closer to a real disk, page by page in any
/// order (<see cref="PowerLossKind"/>); unsynced directory changes as any subset.
/// </remarks>
internal sealed class PowerLossStorage(string root) : IStorageDevice
{
    private readonly IStorageDevice _inner = FileSystemStorage.Instance;
    private readonly string _root = Path.GetFullPath(root);
    private readonly SimulatedDirectory _rootNode = new();
    private readonly Lock _lock = new();

    /// <summary>Called before every operation, with its number: the state at that moment is a crash point.</summary>
    public Action<int>? BeforeOperation { get; set; }

    public int OperationCount { get; private set; }

    public IStorageFile Create(string path)
    {
        lock (_lock)
        {
            Step();
            IStorageFile file = _inner.Create(path);
            (SimulatedDirectory parent, string name) = Parent(path);
            if (parent.Current.TryGetValue(name, out object? existing) && existing is SimulatedFile old)
            {
                old.SetLength(0);
                return new PowerLossFile(this, old, file);
            }
            var node = new SimulatedFile();
            parent.Add(name, node);
            return new PowerLossFile(this, node, file);
        }
    }

    public IStorageFile OpenForWrite(string path)
    {
        lock (_lock)
        {
            Step();
            IStorageFile file = _inner.OpenForWrite(path);
            (SimulatedDirectory parent, string name) = Parent(path);
            return new PowerLossFile(this, (SimulatedFile)parent.Current[name], file);
        }
    }

    public void Move(string source, string destination) => Rename(source, destination, () => _inner.Move(source, destination));

    public void MoveDirectory(string source, string destination) => Rename(source, destination, () => _inner.MoveDirectory(source, destination));

    public void CreateDirectory(string path)
    {
        lock (_lock)
        {
            Step();
            _inner.CreateDirectory(path);
            SimulatedDirectory dir = _rootNode;
            foreach (string part in Parts(path))
            {
                if (!dir.Current.TryGetValue(part, out object? child))
                {
                    child = new SimulatedDirectory();
                    dir.Add(part, child);
                }
                dir = (SimulatedDirectory)child;
            }
        }
    }

    public void SyncDirectory(string path)
    {
        lock (_lock)
        {
            Step();
            Resolve(path).Sync();
        }
    }

    public void Delete(string path)
    {
        lock (_lock)
        {
            Step();
            _inner.Delete(path);
            (SimulatedDirectory parent, string name) = Parent(path);
            if (parent.Current.ContainsKey(name))
            {
                parent.Remove(name);
            }
        }
    }

    public void DeleteDirectory(string path)
    {
        lock (_lock)
        {
            Step();
            _inner.DeleteDirectory(path);
            (SimulatedDirectory parent, string name) = Parent(path);
            parent.Remove(name);
        }
    }

    /// <summary>
    /// Writes one possible post-power-loss state of the database directory to <paramref name="target"/> (which must
    /// not exist), keeping the unsynced changes <paramref name="kind"/> says, with choices drawn from <paramref name="random"/>.
    /// </summary>
    /// <returns>The files (paths under <paramref name="target"/>) that kept an unsynced change to a page while losing one to an earlier page.</returns>
    public List<string> WriteImage(string target, PowerLossKind kind, Random random)
    {
        lock (_lock)
        {
            Directory.CreateDirectory(target);
            var outOfOrder = new List<string>();
            WriteDirectory(_rootNode.AfterPowerLoss(kind, random), target, kind, random, outOfOrder);
            return outOfOrder;
        }
    }

    /// <summary>The most pages any one file has changed since its last fsync: below 2, no page can be kept out of order.</summary>
    public int MostUnsyncedPages()
    {
        lock (_lock)
        {
            return MostUnsyncedPages(_rootNode);
        }
    }

    private static int MostUnsyncedPages(SimulatedDirectory directory) =>
        directory.Current.Values.Select(node => node is SimulatedFile file ? file.UnsyncedPages : MostUnsyncedPages((SimulatedDirectory)node)).DefaultIfEmpty(0).Max();

    internal void FileOperation(Action action)
    {
        lock (_lock)
        {
            Step();
            action();
        }
    }

    private static void WriteDirectory(Dictionary<string, object> entries, string target, PowerLossKind kind, Random random, List<string> outOfOrder)
    {
        foreach (var (name, node) in entries)
        {
            string path = Path.Combine(target, name);
            if (node is SimulatedFile file)
            {
                File.WriteAllBytes(path, file.AfterPowerLoss(kind, random, out bool reordered));
                if (reordered)
                {
                    outOfOrder.Add(path);
                }
            }
            else
            {
                var dir = (SimulatedDirectory)node;
                Directory.CreateDirectory(path);
                WriteDirectory(dir.AfterPowerLoss(kind, random), path, kind, random, outOfOrder);
            }
        }
    }

    private void Rename(string source, string destination, Action rename)
    {
        lock (_lock)
        {
            Step();
            rename();
            (SimulatedDirectory from, string fromName) = Parent(source);
            (SimulatedDirectory to, string toName) = Parent(destination);
            if (!ReferenceEquals(from, to))
            {
                throw new NotSupportedException("the power-loss model renames within one directory only (the engine never does otherwise)");
            }
            from.Rename(fromName, toName);
        }
    }

    private void Step()
    {
        OperationCount++;
        BeforeOperation?.Invoke(OperationCount);
    }

    private string[] Parts(string path)
    {
        string relative = Path.GetRelativePath(_root, Path.GetFullPath(path));
        if (relative == ".")
        {
            return [];
        }
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
        {
            throw new InvalidOperationException($"'{path}' is outside the simulated directory '{_root}'");
        }
        return relative.Split(Path.DirectorySeparatorChar);
    }

    private SimulatedDirectory Resolve(string path)
    {
        SimulatedDirectory dir = _rootNode;
        foreach (string part in Parts(path))
        {
            dir = (SimulatedDirectory)dir.Current[part];
        }
        return dir;
    }

    private (SimulatedDirectory Parent, string Name) Parent(string path)
    {
        string[] parts = Parts(path);
        SimulatedDirectory dir = _rootNode;
        foreach (string part in parts[..^1])
        {
            dir = (SimulatedDirectory)dir.Current[part];
        }
        return (dir, parts[^1]);
    }
}
