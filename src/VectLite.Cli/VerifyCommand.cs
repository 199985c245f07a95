using System.CommandLine;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite verify DB [--json]</c>: checks every file with <see cref="Database.Verify(string, CancellationToken)"/>
/// (no lock, no writes: safe beside a running writer) and reports each file. Exit code 0 when nothing is damaged
/// (warnings allowed), 1 when anything is, 2 when the path is not a database.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var json = new Option<bool>("--json") { Description = "Write the report as JSON on stdout instead of lines for people." };
        var command = new Command("verify", "Check every file of every collection (manifests, data file lengths and checksums, every log frame, HNSW graph files) without changing anything. Exit code 0 if intact, 1 if anything is damaged, 2 if the path is not a database.") { path, json };
        command.SetAction((result, cancellationToken) => Task.FromResult(CliErrors.Run(() =>
        {
            VerifyReport report = Database.Verify(DatabasePath.RequireExisting(result.GetRequiredValue(path)), cancellationToken);
            if (result.GetValue(json))
            {
                VerifyReportJson.Write(report, Console.OpenStandardOutput());
            }
            else
            {
                VerifyReportText.Write(report, Console.Out);
            }
            return report.IsIntact ? 0 : CliErrors.Failure;
        })));
        return command;
    }
}
