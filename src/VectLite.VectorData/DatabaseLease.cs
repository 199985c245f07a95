namespace VectLite.VectorData;

/// <summary>
/// A counted reference to a <see cref="Database"/> opened by path, shared by every store and collection of this
/// process that names the same directory.
/// </summary>
/// <remarks>
/// VectLite lets one writer open a directory at a time (its lock file is per process as much as per machine), yet
/// dependency injection happily creates a store and several collections, scoped or transient, for the same path.
/// Sharing one open <see cref="Database"/> per full path makes those registrations work together; the database is
/// closed when the last lease is disposed. Thread safety: all members are safe to call from many threads.
/// </remarks>
internal sealed class DatabaseLease : IDisposable
{
    private static readonly Lock s_lock = new();

    // Directory names differ only in case on Windows and macOS file systems: treat them as one database there.
    private static readonly Dictionary<string, Entry> s_open =
        new(OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

    private readonly string _fullPath;
    private Entry? _entry;

    private DatabaseLease(string fullPath, Entry entry)
    {
        _fullPath = fullPath;
        _entry = entry;
        Database = entry.Database;
    }

    /// <summary>The shared database; unusable once the last lease on it is disposed.</summary>
    public Database Database { get; }

    /// <summary>
    /// Opens the database in <paramref name="path"/>, or takes another reference to it when this process already has
    /// it open.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null, empty or white space.</exception>
    /// <exception cref="InvalidOperationException">The database is open with the other read-only setting.</exception>
    /// <exception cref="VectLiteException">The engine could not open it (locked by another process, damaged, ...).</exception>
    public static DatabaseLease Acquire(string path, DatabaseOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string fullPath = Path.GetFullPath(path);
        lock (s_lock)
        {
            if (s_open.TryGetValue(fullPath, out Entry? entry))
            {
                if (options is not null && options.ReadOnly != entry.Database.IsReadOnly)
                {
                    throw new InvalidOperationException(
                        $"The VectLite database at '{fullPath}' is already open in this process {(entry.Database.IsReadOnly ? "read-only" : "for writing")}; it cannot be opened {(options.ReadOnly ? "read-only" : "for writing")} at the same time.");
                }
                entry.References++;
            }
            else
            {
                entry = new Entry(Database.Open(fullPath, options));
                s_open.Add(fullPath, entry);
            }
            return new DatabaseLease(fullPath, entry);
        }
    }

    /// <summary>Releases this reference; the last one closes the database. Idempotent.</summary>
    public void Dispose()
    {
        lock (s_lock)
        {
            if (_entry is null)
            {
                return;
            }
            if (--_entry.References == 0)
            {
                s_open.Remove(_fullPath);
                _entry.Database.Dispose();
            }
            _entry = null;
        }
    }

    private sealed class Entry(Database database)
    {
        public Database Database { get; } = database;

        public int References { get; set; } = 1;
    }
}
