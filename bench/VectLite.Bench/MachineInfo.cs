using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime;
using System.Runtime.InteropServices;

namespace VectLite.Bench;

/// <summary>What a reader needs to know about the machine and the process to judge a result.</summary>
/// <param name="Cores">Logical processors available to the process (what <c>nproc</c> prints).</param>
/// <param name="CpuModel">"model name" from /proc/cpuinfo.</param>
/// <param name="MemoryBytes">Total memory (MemTotal from /proc/meminfo), or -1 if unknown.</param>
/// <param name="Runtime">The .NET runtime, e.g. ".NET 10.0.0".</param>
/// <param name="OperatingSystem">The distribution and kernel.</param>
/// <param name="Build">Build configuration, GC and JIT settings of this process.</param>
/// <param name="TempFileSystem">The file system under the temporary folder, where databases are written.</param>
internal sealed record MachineInfo(int Cores, string CpuModel, long MemoryBytes, string Runtime, string OperatingSystem, string Build, string TempFileSystem)
{
    /// <summary>Reads the machine's description (Linux sources, with fallbacks elsewhere).</summary>
    public static MachineInfo Collect() => new(
        Environment.ProcessorCount,
        ReadKeyValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        ParseKilobytes(ReadKeyValue("/proc/meminfo", "MemTotal")),
        RuntimeInformation.FrameworkDescription,
        $"{ReadKeyValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription} (kernel {KernelRelease()})",
        DescribeBuild(),
        DescribeFileSystem(Path.GetTempPath()));

    /// <summary>True when this assembly was compiled without optimisation (a Debug build): its numbers mean little.</summary>
    public static bool IsDebugBuild =>
        typeof(MachineInfo).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled ?? false;

    private static string KernelRelease()
    {
        const string release = "/proc/sys/kernel/osrelease";
        return File.Exists(release) ? File.ReadAllText(release).Trim() : Environment.OSVersion.Version.ToString();
    }

    private static string DescribeBuild()
    {
        string configuration = IsDebugBuild ? "Debug (unoptimised: do not trust these numbers)" : "Release";
        string gc = GCSettings.IsServerGC ? "server GC" : "workstation GC";
        bool pgo = AppContext.TryGetSwitch("System.Runtime.TieredPGO", out bool enabled) ? enabled : true;
        return $"{configuration}, {gc}, TieredPGO {(pgo ? "on" : "off")}";
    }

    /// <summary>"ext4 on /dev/vda (/tmp/)": the longest mount point in /proc/mounts that contains <paramref name="path"/>.</summary>
    private static string DescribeFileSystem(string path)
    {
        const string mounts = "/proc/mounts";
        if (!File.Exists(mounts))
        {
            return path;
        }
        string full = Path.GetFullPath(path);
        string[]? best = null;
        foreach (string line in File.ReadLines(mounts))
        {
            string[] fields = line.Split(' ');
            if (fields.Length < 3)
            {
                continue;
            }
            string mountPoint = fields[1].TrimEnd('/') + "/";
            if ((full + "/").StartsWith(mountPoint, StringComparison.Ordinal) && (best is null || fields[1].Length >= best[1].Length))
            {
                best = fields;
            }
        }
        return best is null ? full : $"{best[2]} on {best[0]} ({full})";
    }

    private static string? ReadKeyValue(string file, string key, char separator = ':')
    {
        if (!File.Exists(file))
        {
            return null;
        }
        foreach (string line in File.ReadLines(file))
        {
            int at = line.IndexOf(separator, StringComparison.Ordinal);
            if (at > 0 && line.AsSpan(0, at).Trim().SequenceEqual(key))
            {
                return line[(at + 1)..].Trim();
            }
        }
        return null;
    }

    private static long ParseKilobytes(string? text)
    {
        // "24573104 kB"
        string? digits = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : -1;
    }

    /// <summary>The load averages and run queue from /proc/loadavg, or "unknown" where there is none: every report records it (a benchmark needs a quiet machine).</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
