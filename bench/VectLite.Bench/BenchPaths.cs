namespace VectLite.Bench;

/// <summary>Where the repository, the peers and the results are, wherever the harness is started from.</summary>
internal static class BenchPaths
{
    private const string SolutionFileName = "VectLite.slnx";

    /// <summary>
    /// The repository root: the nearest folder above the working directory, or else above the harness's binaries,
    /// that holds <c>VectLite.slnx</c>; the working directory if neither has one.
    /// </summary>
    public static string RepositoryRoot { get; } =
        FindUp(Environment.CurrentDirectory) ?? FindUp(AppContext.BaseDirectory) ?? Environment.CurrentDirectory;

    /// <summary>
    /// The peers folder: <c>VECTLITE_PEERS_DIR</c> if set, else <c>../shared/peers</c> beside the repository
    /// (DESIGN.md's layout).
    /// </summary>
    public static string DefaultPeersDirectory =>
        Environment.GetEnvironmentVariable("VECTLITE_PEERS_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "peers"));

    /// <summary>A default report path, <c>bench/results/NAME</c> under the repository root.</summary>
    public static string DefaultResult(string fileName) => Path.Combine(RepositoryRoot, "bench", "results", fileName);

    private static string? FindUp(string start)
    {
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFileName)))
            {
                return dir.FullName;
            }
        }
        return null;
    }
}
