using System.Diagnostics;
using VectLite.Server.Tests.Support;

namespace VectLite.Server.Tests;

/// <summary>
/// The official Qdrant JS client (<c>@qdrant/js-client-rest</c> 1.19.0, pinned in tests/qdrant-js/package.json) runs
/// tests/qdrant-js/scenario.mjs against <c>vectlite serve</c>: create (with <c>on_disk</c>), upsert a batch, filtered query, scroll, count,
/// payload updates, payload indexes, deletes, named vectors, a hybrid query fused by RRF, errors (unknown collection,
/// bad dimension, an unsupported recommend query, bad API key). The script checks every answer against values it computes itself. Needs Node.js; installs the client with
/// <c>npm ci</c> from the lock file when node_modules is missing (a clean clone, as in CI).
/// </summary>
public sealed class QdrantJsClientTests
{
    [Fact]
    public void The_official_js_client_runs_its_scenario_against_vectlite_serve()
    {
        string scenario = Path.Combine(RepositoryRoot(), "tests", "qdrant-js");
        if (!Directory.Exists(Path.Combine(scenario, "node_modules", "@qdrant", "js-client-rest")))
        {
            (int code, string output) = Run("npm", scenario, "ci", "--no-audit", "--no-fund");
            Assert.True(code == 0, $"npm ci failed ({code}):\n{output}");
        }

        string database = Path.Combine(Path.GetTempPath(), "vectlite-server-tests", Guid.NewGuid().ToString("N"));
        try
        {
            using (ServeProcess server = ServeProcess.Start(database, "--port", "0", "--grpc-port", "0", "--api-key", "js-scenario-key"))
            {
                (int code, string output) = Run("node", scenario, "scenario.mjs", server.Address.ToString().TrimEnd('/'), "js-scenario-key");
                Assert.True(code == 0 && output.Contains("scenario: OK", StringComparison.Ordinal), $"the scenario failed ({code}):\n{output}");

                (int exit, string stdout) = server.Terminate();
                Assert.Equal(0, exit);
                Assert.Contains("flushed and closed", stdout, StringComparison.Ordinal);
            }
            // What the scenario left is on disk after the graceful stop: 61 points written, 2 deleted by id, 19 by filter.
            using Database db = Database.Open(database);
            Assert.Equal(["books"], db.ListCollections());
            Assert.Equal(40, db.GetCollection("books").Count());
            Assert.Equal(VectorStorage.Disk, db.GetCollection("books").Schema.Vectors[0].Storage); // created with on_disk: true
        }
        finally
        {
            if (Directory.Exists(database))
            {
                Directory.Delete(database, recursive: true);
            }
        }
    }

    /// <summary>Runs a program to completion; returns its exit code and stdout + stderr.</summary>
    private static (int ExitCode, string Output) Run(string program, string directory, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ServeProcess.HangGuard))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', args)} did not exit");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult() + stderr.GetAwaiter().GetResult());
    }

    /// <summary>The directory holding VectLite.slnx, above the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "VectLite.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no VectLite.slnx above {AppContext.BaseDirectory}");
    }
}
