using System.Text;
using System.Text.Json;

namespace VectLite.Cli.Qdrant;

/// <summary>
/// The progress file of a copy to or from Qdrant (<c>--checkpoint</c>): what is being copied, and the scroll position
/// after the last batch the receiving side acknowledged. Rewritten after every batch by writing a temporary file and
/// renaming it over the old one, so a crash leaves either the old position or the new one, never a torn file; deleted
/// when the copy completes.
/// </summary>
/// <remarks>
/// How resuming stays exact: batches are written in scroll order, each one acknowledged (Qdrant's <c>wait=true</c>, or a
/// committed VectLite batch) before the position moves past it. A crash after the acknowledgement but before the rename
/// leaves the old position, so <c>--resume</c> writes that batch again: upserts by id are idempotent, so it overwrites
/// the same points with the same values. Nothing is lost (the position never passes an unacknowledged batch) and
/// nothing is duplicated (ids are keys).
/// </remarks>
/// <param name="Direction">"to-qdrant" or "from-qdrant".</param>
/// <param name="Source">The source: the database's full path (to Qdrant) or the Qdrant address (from Qdrant).</param>
/// <param name="SourceCollection">The collection read.</param>
/// <param name="TargetCollection">The collection written.</param>
/// <param name="Cursor">Where the next batch starts (a VectLite scroll cursor or a Qdrant point id), or null for the beginning.</param>
/// <param name="Copied">Records copied so far.</param>
internal sealed record TransferCheckpoint(string Direction, string Source, string SourceCollection, string TargetCollection, string? Cursor, long Copied)
{
    /// <summary>The default file name, in the current directory.</summary>
    public static string DefaultPath(string direction, string sourceCollection, string targetCollection) =>
        Path.GetFullPath($"vectlite-{direction}-{sourceCollection}-{targetCollection}.checkpoint.json");

    /// <summary>Reads a checkpoint file.</summary>
    /// <exception cref="CliUsageException">The file is not a checkpoint.</exception>
    public static TransferCheckpoint Read(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            return new TransferCheckpoint(
                root.GetProperty("direction").GetString()!,
                root.GetProperty("source").GetString()!,
                root.GetProperty("source_collection").GetString()!,
                root.GetProperty("target_collection").GetString()!,
                root.GetProperty("cursor").GetString(),
                root.GetProperty("copied").GetInt64());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new CliUsageException($"'{path}' is not a vectlite checkpoint file ({ex.Message}); delete it to start over.");
        }
    }

    /// <summary>Writes the file atomically: a temporary file beside it, flushed, then renamed over it.</summary>
    public void Write(string path)
    {
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("direction", Direction);
                json.WriteString("source", Source);
                json.WriteString("source_collection", SourceCollection);
                json.WriteString("target_collection", TargetCollection);
                json.WriteString("cursor", Cursor);
                json.WriteNumber("copied", Copied);
                json.WriteString("updated", DateTimeOffset.UtcNow);
                json.WriteEndObject();
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Checks that a checkpoint read for <c>--resume</c> belongs to this copy.</summary>
    /// <exception cref="CliUsageException">It records a different copy.</exception>
    public void CheckMatches(string path, string direction, string source, string sourceCollection, string targetCollection)
    {
        var differences = new StringBuilder();
        void Compare(string what, string recorded, string given)
        {
            if (!string.Equals(recorded, given, StringComparison.Ordinal))
            {
                differences.Append($" {what} '{recorded}', not '{given}';");
            }
        }
        Compare("direction", Direction, direction);
        Compare("source", Source, source);
        Compare("source collection", SourceCollection, sourceCollection);
        Compare("target collection", TargetCollection, targetCollection);
        if (differences.Length > 0)
        {
            throw new CliUsageException($"--resume: '{path}' records another copy:{differences.ToString().TrimEnd(';')}. Give its --checkpoint, or delete it to start over.");
        }
    }
}
