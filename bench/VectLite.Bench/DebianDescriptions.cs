using System.Diagnostics;
using System.Text;

namespace VectLite.Bench;

/// <summary>One package of the Debian archive's English descriptions: its one-line synopsis and its long text.</summary>
/// <param name="Package">The package name (unique in the corpus).</param>
/// <param name="Synopsis">The first line of the description: the benchmark's query.</param>
/// <param name="Body">The long description, paragraphs joined by newlines: the benchmark's document.</param>
internal sealed record DebianPackage(string Package, string Synopsis, string Body);

/// <summary>
/// The retrieval benchmark's corpus: the English package descriptions of Debian's main archive (the Translation-en
/// index apt keeps in /var/lib/apt/lists; <c>apt-get update -o Acquire::Languages=en</c> fetches it, about 64,000
/// packages for bookworm).
/// </summary>
internal static class DebianDescriptions
{
    /// <summary>Finds the main archive's Translation-en index among apt's lists.</summary>
    /// <exception cref="FileNotFoundException">apt has not fetched it; the message gives the command that does.</exception>
    public static string FindIndex()
    {
        const string lists = "/var/lib/apt/lists";
        string? found = Directory.Exists(lists)
            ? Directory.EnumerateFiles(lists, "*_main_i18n_Translation-en*")
                .Where(f => !f.Contains("-updates_", StringComparison.Ordinal) && !f.Contains("-security_", StringComparison.Ordinal))
                .OrderByDescending(f => new FileInfo(f).Length)
                .FirstOrDefault()
            : null;
        return found ?? throw new FileNotFoundException(
            "No Translation-en index in /var/lib/apt/lists: run `apt-get update -o Acquire::Languages=en` as root (it fetches the English descriptions), or pass --corpus FILE.");
    }

    /// <summary>Reads every package with a long description, in file order, one entry per package name.</summary>
    /// <param name="path">The index, compressed as apt keeps it (apt-helper decompresses) or plain text.</param>
    public static List<DebianPackage> Load(string path)
    {
        using var text = new StringReader(ReadText(path));
        var packages = new List<DebianPackage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? package = null, synopsis = null;
        var body = new StringBuilder();
        void Emit()
        {
            if (package is not null && synopsis is not null && body.Length > 0 && seen.Add(package))
                packages.Add(new DebianPackage(package, synopsis, body.ToString().TrimEnd()));
            package = synopsis = null;
            body.Clear();
        }
        while (text.ReadLine() is { } line)
        {
            if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                Emit();
                package = line["Package: ".Length..].Trim();
            }
            else if (line.StartsWith("Description-en: ", StringComparison.Ordinal))
            {
                synopsis = line["Description-en: ".Length..].Trim();
            }
            else if (line.StartsWith(' ') && synopsis is not null)
            {
                // Debian's format: a line " ." is an empty line between paragraphs.
                string content = line.Trim();
                body.Append(content == "." ? "" : content).Append('\n');
            }
        }
        Emit();
        return packages;
    }

    private static string ReadText(string path)
    {
        if (!path.EndsWith(".lz4", StringComparison.Ordinal) && !path.EndsWith(".gz", StringComparison.Ordinal) && !path.EndsWith(".xz", StringComparison.Ordinal))
            return File.ReadAllText(path);
        var start = new ProcessStartInfo("/usr/lib/apt/apt-helper", ["cat-file", path]) { RedirectStandardOutput = true };
        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start apt-helper");
        string content = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? content : throw new InvalidOperationException($"apt-helper cat-file {path} exited with {process.ExitCode}");
    }
}
