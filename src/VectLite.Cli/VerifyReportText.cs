using System.Globalization;

namespace VectLite.Cli;

/// <summary>
/// A <see cref="VerifyReport"/> as lines for people: one per file (status, path relative to the database, size), one
/// per finding under it, and a verdict. Plain text, never wrapped, so a path is never split across lines.
/// </summary>
internal static class VerifyReportText
{
    public static void Write(VerifyReport report, TextWriter output)
    {
        output.WriteLine($"Database {report.DatabasePath}");
        foreach (VerifiedFile file in report.Files)
        {
            WriteFile(report, file, output);
        }
        foreach (CollectionVerifyReport collection in report.Collections)
        {
            string generation = collection.CheckpointGeneration < 0 ? "checkpoint unreadable"
                : string.Create(CultureInfo.InvariantCulture, $"checkpoint {collection.CheckpointGeneration}: {collection.CheckpointRecords:N0} records");
            string log = collection.LogBatches < 0 ? "log batches unknown" : string.Create(CultureInfo.InvariantCulture, $"{collection.LogBatches:N0} log batches to replay");
            output.WriteLine($"Collection {collection.Name} ({generation}, {log}): {(collection.IsIntact ? "intact" : "DAMAGED")}");
            foreach (VerifiedFile file in collection.Files)
            {
                WriteFile(report, file, output);
            }
        }
        List<VerifyFinding> findings = report.Findings.ToList();
        int damaged = findings.Count(f => f.Severity == VerifySeverity.Damage);
        int warnings = findings.Count - damaged;
        int files = report.Files.Count + report.Collections.Sum(c => c.Files.Count);
        output.WriteLine(report.IsIntact
            ? $"Intact: {files} files checked, {warnings} warnings."
            : $"DAMAGED: {files} files checked, {damaged} problems, {warnings} warnings.");
    }

    private static void WriteFile(VerifyReport report, VerifiedFile file, TextWriter output)
    {
        string status = !file.IsIntact ? "DAMAGED" : file.Findings.Count > 0 ? "warning" : "ok";
        string size = file.Length < 0 ? "" : $" ({Format.Bytes(file.Length)})";
        output.WriteLine($"  {status,-8} {Relative(report, file.Path)}{size}");
        foreach (VerifyFinding finding in file.Findings)
        {
            string where = finding.Offset < 0 ? "" : string.Create(CultureInfo.InvariantCulture, $" at byte {finding.Offset}");
            string other = finding.FilePath == file.Path ? "" : $" in {Relative(report, finding.FilePath)}";
            output.WriteLine($"           {(finding.Severity == VerifySeverity.Damage ? "damage" : "warning")}{other}{where}: {finding.Description}");
        }
    }

    private static string Relative(VerifyReport report, string path) => Path.GetRelativePath(report.DatabasePath, path);
}
