namespace VectLite.Storage;

/// <summary>
/// Every data file of one checkpoint generation, opened before any of them is read. A reader that holds the handles
/// can read the generation to the end even if a writer in another process checkpoints meanwhile and deletes the files
/// (an open file stays readable after its name is gone), so a read-only open never races the writer's clean-up.
/// </summary>
internal sealed class OpenCheckpoint : IDisposable
{
    private readonly Dictionary<string, FileStream> _streams;

    private OpenCheckpoint(Dictionary<string, FileStream> streams) => _streams = streams;

    /// <summary>Opens every file <paramref name="manifest"/> lists, or returns null if one of them is gone (<paramref name="missingPath"/>).</summary>
    /// <remarks>
    /// A missing file means either that a writer replaced the generation between reading the manifest and opening its
    /// files (read the manifest again) or real damage (the manifest is unchanged): the caller tells which.
    /// </remarks>
    public static OpenCheckpoint? TryOpen(string directory, CheckpointManifest manifest, out string? missingPath)
    {
        missingPath = null;
        var streams = new Dictionary<string, FileStream>(StringComparer.Ordinal);
        try
        {
            foreach (CheckpointFile file in manifest.DataFiles)
            {
                missingPath = Path.Combine(directory, file.Name);
                if (file == manifest.ValueGraphFile && !File.Exists(missingPath))
                {
                    continue; // derived and optional (a build that predates it deletes it): the open goes on without it
                }
                streams[file.Name] = new FileStream(missingPath, FileMode.Open, FileAccess.Read,
                    FileShare.ReadWrite | FileShare.Delete, bufferSize: 0, FileOptions.SequentialScan);
            }
            missingPath = null;
            return new OpenCheckpoint(streams);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            foreach (FileStream stream in streams.Values)
            {
                stream.Dispose();
            }
            return null;
        }
    }

    /// <summary>Takes the open stream of <paramref name="name"/>; the caller disposes it. Null if it was not listed or is taken.</summary>
    public FileStream? Take(string name) => _streams.Remove(name, out FileStream? stream) ? stream : null;

    /// <summary>Closes the streams nobody took.</summary>
    public void Dispose()
    {
        foreach (FileStream stream in _streams.Values)
        {
            stream.Dispose();
        }
        _streams.Clear();
    }
}
