using System.Diagnostics;

namespace VectLite.Server.Tests.Support;

/// <summary>What one run of the vectlite tool produced.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>True when the output holds a .NET stack trace (lines "   at Namespace.Type.Method(...)").</summary>
    public bool HasStackTrace => Stderr.Contains("   at ", StringComparison.Ordinal) || Stdout.Contains("   at ", StringComparison.Ordinal);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the vectlite tool (VectLite.Cli.dll, copied beside the tests) as a child process, as a user runs it.</summary>
internal static class ToolRun
{
    /// <summary>Starts the tool with redirected output; the caller waits or kills it.</summary>
    public static Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "VectLite.Cli.dll");
        Assert.True(File.Exists(dll), $"the tool was not found at {dll}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("VECTLITE_API_KEY"); // a key in the test runner's environment must not leak into the runs
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the tool");
    }

    /// <summary>Runs the tool to completion.</summary>
    public static ToolResult Run(params string[] args)
    {
        using Process process = Start(args);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ServeProcess.HangGuard))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"vectlite {string.Join(' ', args)} did not exit");
        }
        return new ToolResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }
}
