using System.Globalization;
using System.Text;

namespace VectLite.CrashLoop;

/// <summary>
/// The child's side file. Before each engine call it appends <c>I {operation}</c> and fsyncs; after the call returns,
/// <c>A {sequence} {result}</c> and fsyncs. So every acknowledged operation has its <c>A</c> line on disk, and at most the
/// last operation (the one in flight when the kill landed) has an <c>I</c> line without one.
/// </summary>
public sealed class Journal : IDisposable
{
    private readonly FileStream _file;

    private Journal(FileStream file) => _file = file;

    /// <summary>Creates (or appends to) the journal at <paramref name="path"/>.</summary>
    public static Journal Open(string path) =>
        new(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));

    /// <summary>Records that <paramref name="operation"/> is about to be handed to the engine.</summary>
    public void Intend(JournalOperation operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        Append("I " + operation.ToJson());
    }

    /// <summary>Records that the engine acknowledged operation <paramref name="sequence"/> and returned <paramref name="result"/>.</summary>
    public void Acknowledge(long sequence, long result) =>
        Append(string.Create(CultureInfo.InvariantCulture, $"A {sequence} {result}"));

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();

    private void Append(string line)
    {
        _file.Write(Encoding.UTF8.GetBytes(line + "\n"));
        _file.Flush(flushToDisk: true);
    }

    /// <summary>
    /// Reads a journal a killed child left. A final line without its newline was cut by the kill and is ignored.
    /// </summary>
    /// <exception cref="FormatException">The journal breaks its own rules (an ack for an operation that was not the last intended, two operations in flight).</exception>
    public static JournalContents Read(string path)
    {
        var acknowledged = new List<(JournalOperation Operation, long Result)>();
        JournalOperation? pending = null;
        if (!File.Exists(path))
        {
            return new JournalContents(acknowledged, null);
        }
        string text = File.ReadAllText(path);
        int end = text.LastIndexOf('\n');
        if (end < 0)
        {
            return new JournalContents(acknowledged, null);
        }
        foreach (string line in text[..end].Split('\n'))
        {
            if (line.StartsWith("I ", StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    throw new FormatException($"{path}: operation {pending.Sequence} was never acknowledged, yet another one followed");
                }
                pending = JournalOperation.Parse(line[2..]);
            }
            else if (line.StartsWith("A ", StringComparison.Ordinal))
            {
                string[] parts = line.Split(' ');
                long sequence = long.Parse(parts[1], CultureInfo.InvariantCulture);
                if (pending is null || pending.Sequence != sequence)
                {
                    throw new FormatException($"{path}: acknowledgement of {sequence} does not follow its intent");
                }
                acknowledged.Add((pending, long.Parse(parts[2], CultureInfo.InvariantCulture)));
                pending = null;
            }
            else
            {
                throw new FormatException($"{path}: unexpected line '{line}'");
            }
        }
        return new JournalContents(acknowledged, pending);
    }
}
