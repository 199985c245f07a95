using System.Buffers;
using System.Text;
using System.Text.Json;

namespace VectLite.Cli;

/// <summary>Writes JSON objects one per line to a text writer (stdout or a file), through one reused buffer.</summary>
internal sealed class JsonLines(TextWriter output)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private Utf8JsonWriter? _json;

    /// <summary>Writes one line: whatever <paramref name="write"/> puts in the JSON writer.</summary>
    public void Write(Action<Utf8JsonWriter> write)
    {
        _buffer.ResetWrittenCount();
        if (_json is null)
        {
            _json = new Utf8JsonWriter(_buffer);
        }
        else
        {
            _json.Reset(_buffer);
        }
        write(_json);
        _json.Flush();
        output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }
}
