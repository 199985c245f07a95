namespace VectLite;

/// <summary>
/// The name under which <see cref="EngineRegistry"/> knows a database directory: its full path with symbolic links
/// resolved, compared as the operating system compares paths, so two spellings of one directory share one engine.
/// </summary>
/// <remarks>
/// Links are resolved component by component (one <c>readlink</c> per component, only at open); <c>..</c> is folded
/// lexically first, as <see cref="Path.GetFullPath(string)"/> does. Case: Windows and macOS file systems ignore it by
/// default, Linux does not. A directory reached by a hard-linked or bind-mounted second path is not recognised: the
/// second open then takes its own engine, and a writer open is refused by the lock file, naming this process.
/// </remarks>
internal static class DatabasePathKey
{
    /// <summary>More links than this in one path is a loop (Linux's own limit, ELOOP, is 40).</summary>
    private const int MaxLinks = 40;

    /// <summary>Compares keys as the platform's default file systems compare names.</summary>
    public static StringComparer Comparer { get; } =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>The key of the directory at <paramref name="fullPath"/> (which need not exist yet).</summary>
    public static string Of(string fullPath)
    {
        string path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        int links = 0;
        string root = Path.GetPathRoot(path) ?? "";
        string resolved = root;
        var pending = new Stack<string>(path[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse());
        while (pending.Count > 0)
        {
            string next = Path.Combine(resolved, pending.Pop());
            string? target = TryReadLink(next);
            if (target is null || ++links > MaxLinks)
            {
                resolved = next; // not a link (or missing, or a loop): keep the name as it is
                continue;
            }
            // Continue from the link's target: its own components may be links too.
            string absolute = Path.TrimEndingDirectorySeparator(Path.GetFullPath(target, resolved));
            string targetRoot = Path.GetPathRoot(absolute) ?? "";
            foreach (string part in absolute[targetRoot.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries).Reverse())
            {
                pending.Push(part);
            }
            resolved = targetRoot;
        }
        return Path.TrimEndingDirectorySeparator(resolved);
    }

    private static readonly char[] Separators = [Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar];

    private static string? TryReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // unreadable: treat as a plain name
        }
    }
}
