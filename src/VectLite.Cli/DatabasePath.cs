namespace VectLite.Cli;

/// <summary>
/// The database argument of <c>inspect</c>, <c>verify</c> and <c>compact</c>: it must already be a VectLite database.
/// Checked before anything opens it, because <see cref="Database.Open"/> creates a database in a missing or empty
/// directory, and a tool that inspects or verifies must never do that.
/// </summary>
internal static class DatabasePath
{
    /// <summary>Returns <paramref name="path"/> if it holds a database.</summary>
    /// <exception cref="CliUsageException">It does not exist, is a file, or is a directory without a VectLite manifest.</exception>
    public static string RequireExisting(string path)
    {
        if (File.Exists(path))
        {
            throw new CliUsageException($"'{path}' is a file; a VectLite database is a directory.");
        }
        if (!Directory.Exists(path))
        {
            throw new CliUsageException($"'{path}' does not exist.");
        }
        if (!Database.Exists(path))
        {
            throw new CliUsageException($"'{path}' is not a VectLite database (it has no vectlite.db manifest).");
        }
        return path;
    }
}
