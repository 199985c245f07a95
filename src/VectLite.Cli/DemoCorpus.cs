using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VectLite.Cli;

/// <summary>One text of the hybrid demo: an id, a one-line title, and the text that is indexed and embedded.</summary>
internal sealed record DemoText(string Id, string Title, string Text);

/// <summary>
/// The texts <c>vectlite demo-text</c> searches: a JSON Lines file the user gives, else the package descriptions the
/// machine has (Debian and Ubuntu keep them: apt's English translation index, else dpkg's list of installed packages).
/// </summary>
internal static class DemoCorpus
{
    /// <summary>Loads up to <paramref name="count"/> texts, a seeded sample when the source has more.</summary>
    /// <exception cref="CliUsageException">No source was found, or the file is malformed.</exception>
    public static (List<DemoText> Texts, string Source) Load(string? file, int count)
    {
        List<DemoText> all;
        string source;
        if (file is not null)
        {
            (all, source) = (ReadJsonLines(file), file);
        }
        else if (AptIndex() is { } index)
        {
            (all, source) = (ReadDebian(Decompress(index), "Description-en: "), index + " (Debian's package descriptions)");
        }
        else if (File.Exists("/var/lib/dpkg/status"))
        {
            (all, source) = (ReadDebian(File.ReadAllText("/var/lib/dpkg/status"), "Description: "), "/var/lib/dpkg/status (the installed packages' descriptions)");
        }
        else
        {
            throw new CliUsageException("demo-text needs texts: pass --corpus FILE, JSON Lines of {\"id\": \"...\", \"text\": \"...\"} (this machine has no Debian package descriptions to use instead).");
        }
        if (all.Count > count)
        {
            var random = new Random(7);
            all = [.. all.OrderBy(_ => random.Next()).Take(count)];
        }
        return (all, source);
    }

    private static string? AptIndex()
    {
        const string lists = "/var/lib/apt/lists";
        return Directory.Exists(lists)
            ? Directory.EnumerateFiles(lists, "*_main_i18n_Translation-en*").OrderByDescending(f => new FileInfo(f).Length).FirstOrDefault()
            : null;
    }

    private static string Decompress(string path)
    {
        if (!File.Exists("/usr/lib/apt/apt-helper"))
            return File.ReadAllText(path);
        var start = new ProcessStartInfo("/usr/lib/apt/apt-helper", ["cat-file", path]) { RedirectStandardOutput = true };
        using Process process = Process.Start(start) ?? throw new CliUsageException($"could not read {path}");
        string text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? text : throw new CliUsageException($"could not decompress {path} (apt-helper exited with {process.ExitCode})");
    }

    /// <summary>Debian control paragraphs: the synopsis and the first paragraph of the long description.</summary>
    private static List<DemoText> ReadDebian(string content, string descriptionField)
    {
        var texts = new List<DemoText>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? package = null, synopsis = null;
        var first = new StringBuilder();
        bool inFirstParagraph = false;
        void Emit()
        {
            if (package is not null && synopsis is not null && seen.Add(package))
            {
                string body = first.ToString().Trim();
                texts.Add(new DemoText(package, synopsis, body.Length == 0 ? synopsis : $"{synopsis}. {body}"));
            }
            package = synopsis = null;
            first.Clear();
            inFirstParagraph = false;
        }
        using var reader = new StringReader(content);
        while (reader.ReadLine() is { } line)
        {
            if (line.StartsWith("Package: ", StringComparison.Ordinal))
            {
                Emit();
                package = line["Package: ".Length..].Trim();
            }
            else if (line.StartsWith(descriptionField, StringComparison.Ordinal))
            {
                synopsis = line[descriptionField.Length..].Trim();
                inFirstParagraph = true;
            }
            else if (line.StartsWith(' ') && inFirstParagraph)
            {
                string part = line.Trim();
                if (part == ".")
                    inFirstParagraph = false;
                else if (first.Length < 400)
                    first.Append(' ').Append(part);
            }
            else if (!line.StartsWith(' '))
            {
                inFirstParagraph = false;
            }
        }
        Emit();
        return texts;
    }

    private static List<DemoText> ReadJsonLines(string file)
    {
        if (!File.Exists(file))
            throw new CliUsageException($"--corpus: '{file}' does not exist.");
        var texts = new List<DemoText>();
        long lineNumber = 0;
        foreach (string line in File.ReadLines(file))
        {
            lineNumber++;
            if (line.Length == 0)
                continue;
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new CliUsageException($"--corpus line {lineNumber}: not JSON ({ex.Message})");
            }
            string? id = (node as JsonObject)?["id"] is JsonValue idValue ? idValue.ToString() : null;
            string? text = (node as JsonObject)?["text"] is JsonValue textValue && textValue.TryGetValue(out string? s) ? s : null;
            if (id is null || text is null)
                throw new CliUsageException($"--corpus line {lineNumber}: expected {{\"id\": ..., \"text\": \"...\"}}");
            string title = (node as JsonObject)?["title"] is JsonValue titleValue && titleValue.TryGetValue(out string? t) ? t : text.Length > 80 ? text[..80] + "..." : text;
            texts.Add(new DemoText(id, title, text));
        }
        return texts;
    }
}
