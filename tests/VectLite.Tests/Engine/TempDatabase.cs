namespace VectLite.Tests.Engine;

/// <summary>A fresh database directory under the temp folder, deleted when the test ends.</summary>
internal sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vectlite-tests", Guid.NewGuid().ToString("N"));
    }

    public string Path { get; }

    public Database Open(DatabaseOptions? options = null) => Database.Open(Path, options);

    public string CollectionDirectory(string name) => System.IO.Path.Combine(Path, "collections", name);

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path))
            {
                Directory.Delete(Path, recursive: true);
            }
        }
        catch (IOException)
        {
            // a child process may still be exiting; the temp folder is cleaned by the OS eventually
        }
    }
}
