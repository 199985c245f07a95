using System.Diagnostics;

namespace VectLite.Tests.Engine;

/// <summary>Starts tests/VectLite.TestWorker (copied beside the test assembly) as a child process.</summary>
internal static class WorkerProcess
{
    public static Process Start(params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "VectLite.TestWorker.dll");
        Assert.True(File.Exists(dll), $"worker not found at {dll}");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the worker");
    }
}
