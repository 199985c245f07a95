namespace VectLite.VectorData.Tests.Support;

/// <summary>A fresh database directory under the temp folder with a store on it; both removed on dispose.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore(VectLiteVectorStoreOptions? options = null)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vectlite-mevd-tests", Guid.NewGuid().ToString("N"));
        Store = new VectLiteVectorStore(Path, options);
    }

    public string Path { get; }

    public VectLiteVectorStore Store { get; }

    public void Dispose()
    {
        Store.Dispose();
        TempDirectory.Delete(Path);
    }
}

/// <summary>Creates and removes scratch directories for tests that open databases themselves.</summary>
internal static class TempDirectory
{
    public static string NewPath() =>
        System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vectlite-mevd-tests", Guid.NewGuid().ToString("N"));

    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // never created
        }
    }
}
