using System.Diagnostics;

namespace VectLite.Bench;

/// <summary>Runs a helper script to completion, capturing its output; its error stream passes through to ours.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and returns its standard output.</summary>
    /// <exception cref="InvalidOperationException">The process exits with a non-zero code.</exception>
    public static string Run(string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', arguments)}' exited with code {process.ExitCode}. Output:\n{output}");
        }
        return output;
    }

    /// <summary>The arguments that start this benchmark program again before its own (the DLL when it runs through <c>dotnet</c>).</summary>
    public static string[] SelfArguments() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet" ? [typeof(ProcessRunner).Assembly.Location] : [];
}
