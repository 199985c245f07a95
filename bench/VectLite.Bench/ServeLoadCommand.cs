using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VectLite.Bench;

/// <summary>
/// <c>serve-load [--seconds 60] [--clients 16] [--preload 20000] [--dim 64] [--write-share 0.3] [--get-share 0.2]</c>:
/// a bounded load test of <c>vectlite serve</c>. Starts the tool's server on a free loopback port (a child process, as
/// users run it), preloads a collection over REST, then runs <c>--clients</c> concurrent clients for <c>--seconds</c>
/// with mixed operations: upserts of 10 new points (<c>wait=true</c>), filtered queries (top 10 with a keyword filter)
/// and gets by id. Reports throughput, p50/p99 latency per operation and errors, then checks that every acknowledged
/// write is present (lost writes), and that the server stops cleanly on SIGTERM. Prints a Markdown report.
/// </summary>
/// <remarks>
/// Each client has its own id range for new points, so an acknowledged id is known exactly; after the run every one is
/// read back (retrieve by ids, 1,000 per request) and the exact count must be preload + acknowledged. The verdict is
/// PASS with zero errors and zero lost writes. Latency is per HTTP request, measured by the client (one
/// <see cref="HttpClient"/> per client, keep-alive), so it includes loopback HTTP and JSON.
/// </remarks>
internal static partial class ServeLoadCommand
{
    private const string Collection = "load";

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var seconds = new Option<int>("--seconds") { Description = "How long the clients run.", DefaultValueFactory = _ => 60 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 16 };
        var preload = new Option<int>("--preload") { Description = "Points loaded before the run.", DefaultValueFactory = _ => 20_000 };
        var dim = new Option<int>("--dim") { Description = "Vector dimension (cosine).", DefaultValueFactory = _ => 64 };
        var writeShare = new Option<double>("--write-share") { Description = "Share of operations that upsert 10 new points.", DefaultValueFactory = _ => 0.3 };
        var getShare = new Option<double>("--get-share") { Description = "Share of operations that get one point by id (the rest are filtered queries).", DefaultValueFactory = _ => 0.2 };
        var output = new Option<string?>("--output") { Description = "Also write the report to this file (e.g. bench/results/serve-load.md)." };
        var command = new Command("serve-load", "Load-test vectlite serve on loopback: concurrent clients with mixed upserts, filtered queries and gets; throughput, p50/p99, errors, lost writes.")
        {
            seconds, clients, preload, dim, writeShare, getShare, output,
        };
        command.SetAction(result => Run(result.GetValue(seconds), result.GetValue(clients), result.GetValue(preload), result.GetValue(dim),
            result.GetValue(writeShare), result.GetValue(getShare), result.GetValue(output)));
        return command;
    }

    private enum Op
    {
        Upsert,
        Query,
        Get,
    }

    private sealed class ClientResult
    {
        public readonly List<double>[] Latencies = [[], [], []];
        public readonly List<ulong> Acknowledged = [];
        public long Errors;
        public string? FirstError;
    }

    private static int Run(int seconds, int clientCount, int preload, int dim, double writeShare, double getShare, string? output)
    {
        using TempDirectory folder = TempDirectory.Create("serve-load");
        using Process server = StartServer(Path.Combine(folder.Path, "db"), out Uri address);
        try
        {
            using var admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
            Send(admin, HttpMethod.Put, $"/collections/{Collection}", $$$"""{"vectors":{"size":{{{dim}}},"distance":"Cosine"}}""");
            Send(admin, HttpMethod.Put, $"/collections/{Collection}/index", """{"field_name":"bucket","field_schema":"keyword"}""");
            var random = new Random(42);
            for (int start = 0; start < preload; start += 500)
            {
                Send(admin, HttpMethod.Put, $"/collections/{Collection}/points?wait=true", Points(random, start, Math.Min(500, preload - start), dim));
            }
            Console.Error.WriteLine($"serve-load: {preload:N0} points preloaded; {clientCount} clients for {seconds} s");

            var results = new ClientResult[clientCount];
            var watch = Stopwatch.StartNew();
            DateTime deadline = DateTime.UtcNow.AddSeconds(seconds);
            Task[] tasks = Enumerable.Range(0, clientCount).Select(c => Task.Run(() => results[c] = Client(address, c, deadline, preload, dim, writeShare, getShare))).ToArray();
            Task.WaitAll(tasks);
            double elapsed = watch.Elapsed.TotalSeconds;

            // Every acknowledged write must be there, and nothing else.
            ulong[] acknowledged = results.SelectMany(r => r.Acknowledged).ToArray();
            long found = 0;
            foreach (ulong[] chunk in acknowledged.Chunk(1000))
            {
                using JsonDocument got = Send(admin, HttpMethod.Post, $"/collections/{Collection}/points", $$"""{"ids":[{{string.Join(',', chunk)}}],"with_payload":false,"with_vector":false}""");
                found += got.RootElement.GetProperty("result").GetArrayLength();
            }
            using JsonDocument count = Send(admin, HttpMethod.Post, $"/collections/{Collection}/points/count", """{"exact":true}""");
            long total = count.RootElement.GetProperty("result").GetProperty("count").GetInt64();
            long lost = acknowledged.Length - found;
            int exitCode = Stop(server);

            string report = Report(seconds, clientCount, preload, dim, writeShare, getShare, elapsed, results, acknowledged.Length, lost, total, preload + acknowledged.LongLength, exitCode);
            Console.Out.Write(report);
            if (output is not null)
            {
                File.WriteAllText(output, report);
            }
            return lost == 0 && results.Sum(r => r.Errors) == 0 && total == preload + acknowledged.LongLength && exitCode == 0 ? 0 : 1;
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
            }
        }
    }

    private static ClientResult Client(Uri address, int client, DateTime deadline, int preload, int dim, double writeShare, double getShare)
    {
        var result = new ClientResult();
        var random = new Random(1000 + client);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        ulong nextId = 1_000_000_000UL + (ulong)client * 100_000_000UL; // this client's own range: an acknowledged id is exact
        while (DateTime.UtcNow < deadline)
        {
            double pick = random.NextDouble();
            Op op = pick < writeShare ? Op.Upsert : pick < writeShare + getShare ? Op.Get : Op.Query;
            (HttpMethod method, string path, string? body) = op switch
            {
                Op.Upsert => (HttpMethod.Put, $"/collections/{Collection}/points?wait=true", Points(random, (long)nextId, 10, dim)),
                Op.Get => (HttpMethod.Get, $"/collections/{Collection}/points/{random.Next(preload)}", null),
                _ => (HttpMethod.Post, $"/collections/{Collection}/points/query",
                    $$$"""{"query":{{{Vector(random, dim)}}},"limit":10,"filter":{"must":[{"key":"bucket","match":{"value":"b{{{random.Next(10)}}}"}}]},"with_payload":true}"""),
            };
            long started = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                }
                using HttpResponseMessage response = http.Send(request);
                string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"{(int)response.StatusCode}: {text}");
                }
                result.Latencies[(int)op].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (op == Op.Upsert)
                {
                    for (ulong i = 0; i < 10; i++)
                    {
                        result.Acknowledged.Add(nextId + i);
                    }
                    nextId += 10;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
            {
                result.Errors++;
                result.FirstError ??= $"{op}: {ex.Message}";
                if (op == Op.Upsert)
                {
                    nextId += 10; // not acknowledged: not counted, and never reused
                }
            }
        }
        return result;
    }

    private static string Points(Random random, long firstId, int count, int dim)
    {
        var json = new StringBuilder("""{"points":[""");
        for (int i = 0; i < count; i++)
        {
            long id = firstId + i;
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$$"""{"id":{{{id}}},"vector":{{{Vector(random, dim)}}},"payload":{"bucket":"b{{{id % 10}}}","n":{{{id}}}}}""");
        }
        return json.Append("]}").ToString();
    }

    private static string Vector(Random random, int dim) =>
        "[" + string.Join(',', Enumerable.Range(0, dim).Select(_ => (random.NextDouble() * 2 - 1).ToString("0.####", CultureInfo.InvariantCulture))) + "]";

    private static JsonDocument Send(HttpClient http, HttpMethod method, string path, string body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        using HttpResponseMessage response = http.Send(request);
        string text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        return response.IsSuccessStatusCode ? JsonDocument.Parse(text) : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {text}");
    }

    /// <summary>Starts <c>vectlite serve</c> (VectLite.Cli.dll beside this program) on a free loopback port, REST only.</summary>
    private static Process StartServer(string database, out Uri address)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "VectLite.Cli.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { dll, "serve", database, "--port", "0", "--no-grpc" })
        {
            info.ArgumentList.Add(arg);
        }
        Process process = Process.Start(info) ?? throw new InvalidOperationException("could not start vectlite serve");
        string? line = process.StandardOutput.ReadLine();
        Match match = AddressPattern().Match(line ?? "");
        if (!match.Success)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"vectlite serve printed no address: {line} {process.StandardError.ReadToEnd()}");
        }
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        address = new Uri(match.Value);
        return process;
    }

    /// <summary>SIGTERM, as a service manager stops it; the exit code (0 = flushed and closed).</summary>
    private static int Stop(Process server)
    {
        using (Process kill = Process.Start("kill", ["-TERM", server.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        return server.WaitForExit(TimeSpan.FromMinutes(2)) ? server.ExitCode : -1;
    }

    private static string Report(int seconds, int clients, int preload, int dim, double writeShare, double getShare, double elapsed, ClientResult[] results,
        long acknowledged, long lost, long total, long expected, int exitCode)
    {
        var md = new StringBuilder();
        md.AppendLine("# vectlite serve: bounded load test").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"`serve-load --seconds {seconds} --clients {clients} --preload {preload} --dim {dim} --write-share {writeShare} --get-share {getShare}`, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, build {(MachineInfo.IsDebugBuild ? "DEBUG" : "Release")}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the end.").AppendLine();
        md.AppendLine("REST over loopback, one keep-alive connection per client; upserts are 10 new points with `wait=true`, queries a top 10 with a keyword filter (one bucket of 10), gets one preloaded point by id.").AppendLine();
        md.AppendLine("| operation | requests | per second | p50 | p99 |");
        md.AppendLine("|---|---|---|---|---|");
        long all = 0;
        foreach (Op op in Enum.GetValues<Op>())
        {
            double[] latencies = results.SelectMany(r => r.Latencies[(int)op]).Order().ToArray();
            all += latencies.Length;
            md.AppendLine(CultureInfo.InvariantCulture, $"| {op.ToString().ToLowerInvariant()} | {Format.Count(latencies.Length)} | {Format.Number(latencies.Length / elapsed)} | {Percentile(latencies, 0.50):0.00} ms | {Percentile(latencies, 0.99):0.00} ms |");
        }
        md.AppendLine(CultureInfo.InvariantCulture, $"| all | {Format.Count(all)} | {Format.Number(all / elapsed)} | | |").AppendLine();
        long errors = results.Sum(r => r.Errors);
        md.AppendLine(CultureInfo.InvariantCulture, $"- errors: {errors}{(results.FirstOrDefault(r => r.FirstError is not null)?.FirstError is { } first ? $" (first: {first})" : "")}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- acknowledged new points: {Format.Count(acknowledged)}; lost (acknowledged but not found): {lost}; exact count {Format.Count(total)}, expected {Format.Count(expected)}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- server stopped on SIGTERM with exit code {exitCode}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- verdict: {Format.Verdict(errors == 0 && lost == 0 && total == expected && exitCode == 0)} (zero errors, zero lost writes, a clean stop)");
        return md.ToString();
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    [GeneratedRegex(@"http://[^ ,]+")]
    private static partial Regex AddressPattern();
}
