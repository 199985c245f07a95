namespace VectLite.Bench;

/// <summary>
/// A fresh directory under the system temporary folder (so on the disk that holds <c>/tmp</c>), deleted on dispose.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    private TempDirectory(string path) => Path = path;

    /// <summary>The directory's full path.</summary>
    public string Path { get; }

    /// <summary>Creates <c>$TMPDIR/vectlite-bench-PURPOSE-XXXXXX</c>.</summary>
    public static TempDirectory Create(string purpose) =>
        new(Directory.CreateTempSubdirectory($"vectlite-bench-{purpose}-").FullName);

    /// <summary>Deletes the directory and everything in it.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"warning: could not delete {Path}: {ex.Message}");
        }
    }
}
