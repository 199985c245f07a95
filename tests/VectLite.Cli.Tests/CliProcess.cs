using System.Diagnostics;

namespace VectLite.Cli.Tests;

/// <summary>What one run of the tool produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when stderr holds a .NET stack trace (lines "   at Namespace.Type.Method(...)").</summary>
    public bool HasStackTrace => Stderr.Contains("   at ", StringComparison.Ordinal) || Stdout.Contains("   at ", StringComparison.Ordinal);

    /// <summary>Stdout split into lines, empty lines dropped.</summary>
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the vectlite tool (VectLite.Cli.dll, copied beside the test assembly) as a child process.</summary>
internal static class CliProcess
{
    /// <summary>A hang guard, not a timing assertion: a run that has not exited by then is killed and fails the test.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    public static CliResult Run(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "VectLite.Cli.dll");
        Assert.True(File.Exists(dll), $"the tool was not found at {dll}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start the tool");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HangGuard))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"vectlite {string.Join(' ', args)} did not exit within {HangGuard}");
        }
        return new CliResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
