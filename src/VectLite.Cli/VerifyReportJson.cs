using System.Text.Json;

namespace VectLite.Cli;

/// <summary>
/// A <see cref="VerifyReport"/> as JSON, written field by field (no reflection):
/// <c>{"database", "intact", "files": [FILE], "collections": [{"name", "intact", "checkpointGeneration",
/// "checkpointRecords", "logBatches", "files": [FILE]}]}</c>, where FILE is <c>{"path", "kind", "bytes", "intact",
/// "findings": [{"severity": "damage"|"warning", "file", "offset", "description"}]}</c>. Paths are full paths;
/// offsets and bytes are -1 when unknown.
/// </summary>
internal static class VerifyReportJson
{
    public static void Write(VerifyReport report, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("database", report.DatabasePath);
        json.WriteBoolean("intact", report.IsIntact);
        WriteFiles(json, report.Files);
        json.WriteStartArray("collections");
        foreach (CollectionVerifyReport collection in report.Collections)
        {
            json.WriteStartObject();
            json.WriteString("name", collection.Name);
            json.WriteBoolean("intact", collection.IsIntact);
            json.WriteNumber("checkpointGeneration", collection.CheckpointGeneration);
            json.WriteNumber("checkpointRecords", collection.CheckpointRecords);
            json.WriteNumber("logBatches", collection.LogBatches);
            WriteFiles(json, collection.Files);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static void WriteFiles(Utf8JsonWriter json, IReadOnlyList<VerifiedFile> files)
    {
        json.WriteStartArray("files");
        foreach (VerifiedFile file in files)
        {
            json.WriteStartObject();
            json.WriteString("path", file.Path);
            json.WriteString("kind", file.Kind.ToString());
            json.WriteNumber("bytes", file.Length);
            json.WriteBoolean("intact", file.IsIntact);
            json.WriteStartArray("findings");
            foreach (VerifyFinding finding in file.Findings)
            {
                json.WriteStartObject();
                json.WriteString("severity", finding.Severity == VerifySeverity.Damage ? "damage" : "warning");
                json.WriteString("file", finding.FilePath);
                json.WriteNumber("offset", finding.Offset);
                json.WriteString("description", finding.Description);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
