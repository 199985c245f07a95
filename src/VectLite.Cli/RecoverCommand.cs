using System.CommandLine;
using Spectre.Console;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite recover DB</c>: salvage collections whose write-ahead log is damaged (see <see cref="Database.Recover"/>).
/// Exit code 0 when every log was intact or has been salvaged.
/// </summary>
internal static class RecoverCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("database") { Description = "The database directory." };
        var command = new Command("recover",
            "Salvage damaged write-ahead logs: copy each damaged log aside whole, then keep every intact batch before the damage so the collection opens again.")
        { path };
        command.SetAction(result => CliErrors.Run(() =>
        {
            RecoveryReport report = Database.Recover(result.GetRequiredValue(path));
            foreach (CollectionRecovery c in report.Collections)
            {
                if (c.Repaired)
                {
                    AnsiConsole.MarkupLineInterpolated(
                        $"[yellow]salvaged[/] {c.Collection}: kept {c.KeptBatches:N0} batches; from byte {c.DamageOffset:N0} ({c.Problem}) {Format.Bytes(c.BytesSetAside)} no longer replayed; the damaged log is kept at {c.BackupPath}");
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated($"[green]intact[/]   {c.Collection}: {c.KeptBatches:N0} batches in the log");
                }
            }
            return 0;
        }));
        return command;
    }
}
