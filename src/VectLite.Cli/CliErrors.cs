using Spectre.Console;
using VectLite;

namespace VectLite.Cli;

/// <summary>Turns VectLite's typed errors into one readable line and an exit code, instead of a stack trace.</summary>
internal static class CliErrors
{
    public const int Failure = 1;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (VectLiteException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error[/] ({ex.Code}): {ex.Message}");
            return Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]error[/]: {ex.Message}");
            return Failure;
        }
    }
}
