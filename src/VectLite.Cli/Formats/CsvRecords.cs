using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using nietras.SeparatedValues;

namespace VectLite.Cli.Formats;

/// <summary>
/// Records as CSV (read and written with Sep): a header row; an <c>id</c> column (optional on import: rows are then ids
/// 0, 1, 2, ...); a <c>vector</c> column for the collection's one vector and <c>vector:NAME</c> columns for named
/// vectors, each a JSON array (<c>[0.1, 0.2]</c>) or space-separated numbers (<c>0.1 0.2</c>); an optional
/// <c>namespace</c> column; every other column is a payload field.
/// </summary>
/// <remarks>
/// CSV has no types, so a payload cell is read as: empty = field absent; <c>true</c>/<c>false</c> = boolean; a number
/// (not one with a leading zero such as <c>007</c>, which stays a string) = number; text starting with <c>{</c> or
/// <c>[</c> that parses as JSON = that JSON; anything else = string. Export writes the inverse (objects and arrays as
/// JSON text, null as an empty cell), so a CSV round trip keeps payloads whose strings do not look like numbers,
/// booleans or JSON; JSON Lines is the lossless format. The separator is detected from the header (comma, semicolon,
/// tab or pipe); quoted fields follow RFC 4180. One row in memory at a time.
/// </remarks>
internal static class CsvRecords
{
    /// <summary>The column of the collection's one (or "default") vector.</summary>
    public const string VectorColumn = "vector";

    /// <summary>Named vector columns start with this: <c>vector:NAME</c>.</summary>
    public const string NamedVectorPrefix = "vector:";

    /// <summary>Reads the records of a CSV file (or standard input, "-") with their 1-based line numbers (the header is line 1).</summary>
    /// <exception cref="CliUsageException">A row or cell is malformed; the message names the line and column.</exception>
    public static IEnumerable<(long Line, Record? Record)> Read(string path)
    {
        SepReader reader;
        try
        {
            SepReaderOptions options = Sep.Reader(o => o with { Unescape = true });
            reader = path == "-" ? options.From(Console.In) : options.FromFile(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CliUsageException($"line 1: not a CSV header ({ex.Message})");
        }
        using (reader)
        {
            IReadOnlyList<string> names = reader.Header.ColNames;
            if (names.Count == 0)
            {
                throw new CliUsageException("line 1: the CSV file has no header row (id, vector, payload columns...).");
            }
            int idColumn = -1, namespaceColumn = -1;
            var vectors = new List<(int Column, string Name)>();
            var payload = new List<(int Column, string Field)>();
            for (int c = 0; c < names.Count; c++)
            {
                string name = names[c];
                if (name == "id")
                {
                    idColumn = c;
                }
                else if (name == "namespace")
                {
                    namespaceColumn = c;
                }
                else if (name == VectorColumn)
                {
                    vectors.Add((c, ""));
                }
                else if (name.StartsWith(NamedVectorPrefix, StringComparison.Ordinal) && name.Length > NamedVectorPrefix.Length)
                {
                    vectors.Add((c, name[NamedVectorPrefix.Length..]));
                }
                else
                {
                    payload.Add((c, name));
                }
            }
            long rowNumber = 0;
            using IEnumerator<SepReader.Row> rows = reader.GetEnumerator();
            while (true)
            {
                long line = -1;
                Record record;
                try
                {
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }
                    SepReader.Row row = rows.Current;
                    line = row.LineNumberFrom;
                    record = ReadRow(row, line, rowNumber++, idColumn, namespaceColumn, vectors, payload, names);
                }
                catch (InvalidDataException ex)
                {
                    throw new CliUsageException($"line {(line > 0 ? line : rowNumber + 2)}: not a CSV row ({ex.Message})");
                }
                yield return (line, record);
            }
        }
    }

    private static Record ReadRow(SepReader.Row row, long line, long rowNumber, int idColumn, int namespaceColumn,
        List<(int Column, string Name)> vectors, List<(int Column, string Field)> payload, IReadOnlyList<string> names)
    {
        RecordId id;
        if (idColumn < 0)
        {
            id = new RecordId((ulong)rowNumber);
        }
        else
        {
            string text = row[idColumn].ToString();
            if (text.Length == 0)
            {
                throw new CliUsageException($"line {line}: the id is empty.");
            }
            id = RecordJson.ParseId(text, asString: false);
        }
        var record = new Record(id);
        if (namespaceColumn >= 0 && row[namespaceColumn].ToString() is { Length: > 0 } ns)
        {
            record.Namespace = ns;
        }
        foreach ((int column, string name) in vectors)
        {
            ReadOnlySpan<char> cell = row[column].Span.Trim();
            if (cell.IsEmpty)
            {
                continue; // a record without this vector
            }
            float[] vector = ParseVector(cell, line, names[column]);
            if (name.Length == 0)
            {
                record.Vector = vector;
            }
            else
            {
                record.Vectors[name] = vector;
            }
        }
        foreach ((int column, string field) in payload)
        {
            string cell = row[column].ToString();
            if (cell.Length > 0)
            {
                (record.Payload ??= new JsonObject())[field] = Cell(cell);
            }
        }
        return record;
    }

    /// <summary>A vector cell: a JSON array of numbers, or numbers separated by spaces.</summary>
    public static float[] ParseVector(ReadOnlySpan<char> cell, long line, string column)
    {
        if (cell[0] == '[')
        {
            if (cell[^1] != ']')
            {
                throw new CliUsageException($"line {line}: column '{column}': '{Shorten(cell)}' is not a JSON array of numbers.");
            }
            cell = cell[1..^1];
        }
        var values = new List<float>(cell.Length / 8 + 1);
        bool commas = cell.Contains(',');
        foreach (Range part in commas ? cell.Split(',') : cell.SplitAny(" \t"))
        {
            ReadOnlySpan<char> text = cell[part].Trim();
            if (text.IsEmpty && !commas)
            {
                continue; // several spaces between numbers
            }
            if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
            {
                throw new CliUsageException($"line {line}: column '{column}': '{Shorten(text)}' is not a finite number.");
            }
            values.Add(value);
        }
        return values.ToArray();
    }

    /// <summary>A payload cell's JSON value (see the remarks on types).</summary>
    public static JsonNode? Cell(string cell)
    {
        switch (cell)
        {
            case "true":
                return JsonValue.Create(true);
            case "false":
                return JsonValue.Create(false);
        }
        bool leadingZero = cell.Length > 1 && cell[0] == '0' && char.IsAsciiDigit(cell[1]);
        if (!leadingZero && (char.IsAsciiDigit(cell[0]) || (cell[0] is '-' or '+' or '.' && cell.Length > 1)))
        {
            if (long.TryParse(cell, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
            {
                return JsonValue.Create(integer);
            }
            if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
            {
                return JsonValue.Create(number);
            }
        }
        if (cell[0] is '{' or '[')
        {
            try
            {
                return JsonNode.Parse(cell);
            }
            catch (JsonException)
            {
                // not JSON after all: a string that starts with a bracket
            }
        }
        return JsonValue.Create(cell);
    }

    /// <summary>
    /// Writes records as CSV: a header (id, namespace when asked, vector columns, then the payload fields in the order
    /// given), then one row per record.
    /// </summary>
    public static void Write(TextWriter output, CollectionSchema schema, IReadOnlyList<string> payloadFields, bool withNamespace, IEnumerable<Record> records,
        Action<long> progress)
    {
        bool single = schema.Vectors.Count == 1 && schema.Vectors[0].Name == CollectionSchema.DefaultVectorName;
        var vectorColumns = schema.Vectors.Select(v => (v.Name, Column: single ? VectorColumn : NamedVectorPrefix + v.Name)).ToList();
        using SepWriter writer = Sep.New(',').Writer(o => o with { Escape = true }).To(output);
        var text = new StringBuilder();
        long count = 0;
        foreach (Record record in records)
        {
            using SepWriter.Row row = writer.NewRow();
            row["id"].Set(record.Id.ToString());
            if (withNamespace)
            {
                row["namespace"].Set(record.Namespace ?? "");
            }
            foreach ((string name, string column) in vectorColumns)
            {
                text.Clear();
                if (record.Vectors.TryGetValue(name, out ReadOnlyMemory<float> vector))
                {
                    text.Append('[');
                    foreach (float v in vector.Span)
                    {
                        text.Append(v.ToString("R", CultureInfo.InvariantCulture)).Append(',');
                    }
                    text.Length--;
                    text.Append(']');
                }
                row[column].Set(text.ToString());
            }
            foreach (string field in payloadFields)
            {
                row[field].Set(record.Payload?[field] is { } value ? CellText(value) : "");
            }
            progress(++count);
        }
    }

    /// <summary>The cell text for a payload value: strings as they are, everything else as JSON.</summary>
    private static string CellText(JsonNode value) =>
        value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String ? scalar.GetValue<string>() : value.ToJsonString();

    private static string Shorten(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : string.Concat(text[..40], "...");
}
