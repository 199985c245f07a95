using VectLite;

namespace VectLite.Cli;

/// <summary>
/// Turns errors into one line on stderr and an exit code, never a stack trace. Exit codes: 0 success, 1 the operation
/// failed (or, for verify, found damage), 2 a usage error (bad arguments, a path that is not a database).
/// </summary>
internal static class CliErrors
{
    public const int Failure = 1;
    public const int Usage = 2;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliUsageException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Usage;
        }
        catch (CliFailureException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failure;
        }
        catch (VectLiteException ex)
        {
            Console.Error.WriteLine($"error ({ex.Code}): {ex.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("error: cancelled");
            return Failure;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return Failure;
        }
#pragma warning disable CA1031 // the tool's last line of defence: one line, not a stack trace, for an error nobody anticipated
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"error: unexpected {ex.GetType().Name}: {ex.Message} (this is a bug in vectlite; please report it)");
            return Failure;
        }
    }
}
