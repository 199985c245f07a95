using System.Text;

namespace VectLite.Bench;

/// <summary>
/// A benchmark report in Markdown: a title, the command that produced it, the date and the machine, then whatever
/// sections the benchmark adds, then a note on noise. Saved to a file and printed.
/// </summary>
internal sealed class MarkdownReport
{
    /// <summary>How every report reads its numbers' reliability.</summary>
    private const string NoiseNote =
        "Noise: this runs on a shared 2-core VM where other work (builds, tests, other benchmarks) competes for the " +
        "cores, the memory bandwidth and the disk. Absolute numbers move by tens of percent from run to run; the " +
        "ratios measured in the same run, and the medians of repeated runs, are the numbers to compare.";

    private readonly StringBuilder _text = new();

    /// <summary>Starts a report with its title, command line, date (UTC) and machine table.</summary>
    public MarkdownReport(string title, MachineInfo machine)
    {
        _text.Append("# ").AppendLine(title).AppendLine();
        _text.AppendLine("```").AppendLine(CommandLine).AppendLine("```").AppendLine();
        _text.Append("Date (UTC): ").AppendLine(DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)).AppendLine();
        Table(["Machine", ""],
        [
            ["Cores (nproc)", machine.Cores.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ["CPU", machine.CpuModel],
            ["Memory", machine.MemoryBytes < 0 ? "unknown" : Format.Bytes(machine.MemoryBytes)],
            [".NET", machine.Runtime],
            ["OS", machine.OperatingSystem],
            ["Build", machine.Build],
            ["Temp file system", machine.TempFileSystem],
        ]);
    }

    /// <summary>
    /// The command that reproduces this run from the repository root, e.g.
    /// <c>dotnet run -c Release --project bench/VectLite.Bench -- exact --queries 50</c>.
    /// </summary>
    public static string CommandLine
    {
        get
        {
            IEnumerable<string> args = Environment.GetCommandLineArgs().Skip(1).Select(Quote);
            return $"dotnet run -c Release --project bench/VectLite.Bench -- {string.Join(' ', args)}".TrimEnd();
        }
    }

    /// <summary>Adds a heading: second level by default, third for a subsection.</summary>
    public void Heading(string text, int level = 2) => _text.Append('#', level).Append(' ').AppendLine(text).AppendLine();

    /// <summary>Adds a paragraph.</summary>
    public void Paragraph(string text) => _text.AppendLine(text).AppendLine();

    /// <summary>Adds a bulleted list.</summary>
    public void Bullets(IEnumerable<string> items)
    {
        foreach (string item in items)
        {
            _text.Append("- ").AppendLine(item);
        }
        _text.AppendLine();
    }

    /// <summary>Adds a table; every cell is text the caller has already formatted.</summary>
    public void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        _text.Append("| ").AppendJoin(" | ", headers).AppendLine(" |");
        _text.Append('|').AppendJoin('|', headers.Select(_ => "---")).AppendLine("|");
        foreach (IReadOnlyList<string> row in rows)
        {
            _text.Append("| ").AppendJoin(" | ", row).AppendLine(" |");
        }
        _text.AppendLine();
    }

    /// <summary>Appends the noise note, writes the report to <paramref name="path"/> (creating folders) and prints it.</summary>
    public void Save(string path)
    {
        Paragraph(NoiseNote);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, _text.ToString());
        Console.Out.Write(_text.ToString());
        Console.Error.WriteLine($"Report written to {full}");
    }

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "-_./,=:+".Contains(c, StringComparison.Ordinal))
            ? arg
            : $"'{arg.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
