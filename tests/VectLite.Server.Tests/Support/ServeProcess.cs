using System.Diagnostics;
using System.Text.RegularExpressions;

namespace VectLite.Server.Tests.Support;

/// <summary>
/// <c>vectlite serve</c> as a child process (VectLite.Cli.dll, copied beside the tests), on a free port it reports in
/// its first line of output; stopped with SIGTERM, as a service manager stops it.
/// </summary>
internal sealed partial class ServeProcess : IDisposable
{
    /// <summary>A hang guard, not a timing assertion.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(3);

    private readonly Process _process;
    private readonly Task<string> _rest;

    private ServeProcess(Process process, Uri address, Uri? grpcAddress, Task<string> rest)
    {
        _process = process;
        Address = address;
        GrpcAddress = grpcAddress;
        _rest = rest;
    }

    /// <summary>The REST API's address (the first on the line).</summary>
    public Uri Address { get; }

    /// <summary>The gRPC API's address (the second), or null when the server serves no gRPC.</summary>
    public Uri? GrpcAddress { get; }

    public static ServeProcess Start(params string[] args)
    {
        Process process = StartTool(["serve", .. args]);
        Task<string?> first = process.StandardOutput.ReadLineAsync();
        if (!first.Wait(HangGuard) || first.Result is not { } line)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"vectlite serve printed no address: {process.StandardError.ReadToEnd()}");
        }
        MatchCollection matches = AddressPattern().Matches(line);
        Assert.True(matches.Count > 0, $"no address in '{line}'");
        Uri? grpc = matches.Count > 1 ? new Uri(matches[1].Value) : null;
        return new ServeProcess(process, new Uri(matches[0].Value), grpc, process.StandardOutput.ReadToEndAsync());
    }

    /// <summary>Runs the tool to completion (for usage errors); returns exit code and stderr.</summary>
    public static (int ExitCode, string Stderr) RunToExit(params string[] args)
    {
        using Process process = StartTool(args);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(HangGuard))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"vectlite {string.Join(' ', args)} did not exit");
        }
        return (process.ExitCode, stderr.GetAwaiter().GetResult());
    }

    /// <summary>Sends SIGTERM and waits for a graceful exit; returns the exit code and the rest of stdout.</summary>
    public (int ExitCode, string Stdout) Terminate()
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        if (!_process.WaitForExit(HangGuard))
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail("vectlite serve did not stop on SIGTERM");
        }
        return (_process.ExitCode, _rest.GetAwaiter().GetResult());
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    private static Process StartTool(string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "VectLite.Cli.dll");
        Assert.True(File.Exists(dll), $"the tool was not found at {dll}");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the tool");
    }

    [GeneratedRegex(@"http://[^ ,]+")]
    private static partial Regex AddressPattern();
}
