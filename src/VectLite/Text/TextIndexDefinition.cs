using System.Text.Json;
using VectLite.Filtering;
using VectLite.Storage;
using VectLite.Text.Analysis;

namespace VectLite.Text;

/// <summary>
/// A validated text index definition: its name, fields, analyzer and BM25 parameters. Logged in the WAL when the index
/// is created, and kept in the checkpoint manifest.
/// </summary>
internal sealed class TextIndexDefinition
{
    /// <summary>The most fields one text index may read.</summary>
    public const int MaxFields = 64;

    private TextIndexDefinition(string name, PayloadPath[] fields, AnalyzerChain chain, float k1, float b)
    {
        Name = name;
        Fields = fields;
        Chain = chain;
        K1 = k1;
        B = b;
    }

    public string Name { get; }

    public PayloadPath[] Fields { get; }

    public AnalyzerChain Chain { get; }

    public TextAnalyzer Analyzer => Chain.Options;

    public float K1 { get; }

    public float B { get; }

    /// <summary>Checks a user's definition.</summary>
    /// <exception cref="InvalidNameException">The name breaks the naming rules.</exception>
    /// <exception cref="SchemaException">No field, a bad path, a duplicate field, an unknown analyzer setting, or k1/b out of range.</exception>
    public static TextIndexDefinition Create(string name, TextIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Names.Validate("text index", name);
        if (options.Fields is not { Count: > 0 and <= MaxFields })
        {
            throw new SchemaException($"Text index '{name}' needs 1 to {MaxFields} fields; it has {options.Fields?.Count ?? 0}.");
        }
        var paths = new PayloadPath[options.Fields.Count];
        for (int i = 0; i < paths.Length; i++)
        {
            string field = options.Fields[i] ?? throw new SchemaException($"Text index '{name}': field {i} is null.");
            if (!PayloadPath.TryCreate(field, out PayloadPath? path, out string? error))
            {
                throw new SchemaException($"Text index '{name}' cannot read field '{field}': {error}.");
            }
            if (Array.IndexOf(paths, path, 0, i) >= 0)
            {
                throw new SchemaException($"Text index '{name}' lists field '{field}' twice.");
            }
            paths[i] = path;
        }
        if (!(float.IsFinite(options.K1) && options.K1 >= 0))
        {
            throw new SchemaException($"Text index '{name}': BM25 k1 must be finite and at least 0; it is {options.K1}.");
        }
        if (!(options.B is >= 0 and <= 1))
        {
            throw new SchemaException($"Text index '{name}': BM25 b must be in [0, 1]; it is {options.B}.");
        }
        return new TextIndexDefinition(name, paths, AnalyzerChain.Create(options.Analyzer ?? throw new SchemaException($"Text index '{name}': Analyzer is null.")), options.K1, options.B);
    }

    /// <summary>The public form of this definition.</summary>
    public TextIndexOptions ToOptions() => new() { Fields = [.. Fields.Select(f => f.Text)], Analyzer = Analyzer, K1 = K1, B = B };

    /// <summary>Writes the definition into a WAL operation.</summary>
    public void Write(BinaryBuffer buffer)
    {
        buffer.WriteShortString(Name);
        buffer.WriteByte((byte)Fields.Length);
        foreach (PayloadPath field in Fields)
        {
            buffer.WriteShortString(field.Text);
        }
        TextAnalyzer a = Analyzer;
        buffer.WriteShortString(a.Language);
        buffer.WriteByte((byte)((a.Lowercase ? 1 : 0) | (a.FoldToAscii ? 2 : 0) | (a.RemoveStopWords ? 4 : 0) | (a.Stem ? 8 : 0)));
        buffer.WriteByte((byte)a.NGramMin);
        buffer.WriteByte((byte)a.NGramMax);
        buffer.WriteInt32(BitConverter.SingleToInt32Bits(K1));
        buffer.WriteInt32(BitConverter.SingleToInt32Bits(B));
    }

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="FormatException">The bytes are not a valid definition.</exception>
    public static TextIndexDefinition Read(ref BinaryCursor cursor)
    {
        string name = cursor.ReadShortString();
        int count = cursor.ReadByte();
        var fields = new string[count];
        for (int i = 0; i < count; i++)
        {
            fields[i] = cursor.ReadShortString();
        }
        string language = cursor.ReadShortString();
        byte flags = cursor.ReadByte();
        int min = cursor.ReadByte(), max = cursor.ReadByte();
        float k1 = BitConverter.Int32BitsToSingle(cursor.ReadInt32());
        float b = BitConverter.Int32BitsToSingle(cursor.ReadInt32());
        var options = new TextIndexOptions
        {
            Fields = fields,
            Analyzer = new TextAnalyzer
            {
                Language = language, Lowercase = (flags & 1) != 0, FoldToAscii = (flags & 2) != 0,
                RemoveStopWords = (flags & 4) != 0, Stem = (flags & 8) != 0, NGramMin = min, NGramMax = max,
            },
            K1 = k1,
            B = b,
        };
        try
        {
            return Create(name, options);
        }
        catch (VectLiteException ex)
        {
            throw new FormatException($"text index definition '{name}' is not valid: {ex.Message}", ex);
        }
    }

    /// <summary>Writes the definition as a JSON object (the checkpoint manifest's form).</summary>
    public void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("name", Name);
        json.WriteStartArray("fields");
        foreach (PayloadPath field in Fields)
        {
            json.WriteStringValue(field.Text);
        }
        json.WriteEndArray();
        TextAnalyzer a = Analyzer;
        json.WriteString("language", a.Language);
        json.WriteBoolean("lowercase", a.Lowercase);
        json.WriteBoolean("foldToAscii", a.FoldToAscii);
        json.WriteBoolean("removeStopWords", a.RemoveStopWords);
        json.WriteBoolean("stem", a.Stem);
        json.WriteNumber("ngramMin", a.NGramMin);
        json.WriteNumber("ngramMax", a.NGramMax);
        json.WriteNumber("k1", K1);
        json.WriteNumber("b", B);
        json.WriteEndObject();
    }

    /// <summary>Reads what <see cref="WriteJson"/> wrote.</summary>
    /// <exception cref="FormatException">The object is not a valid definition.</exception>
    public static TextIndexDefinition ReadJson(JsonElement e)
    {
        string name = e.GetProperty("name").GetString()!;
        try
        {
            return Create(name, new TextIndexOptions
            {
                Fields = [.. e.GetProperty("fields").EnumerateArray().Select(f => f.GetString()!)],
                Analyzer = new TextAnalyzer
                {
                    Language = e.GetProperty("language").GetString()!,
                    Lowercase = e.GetProperty("lowercase").GetBoolean(),
                    FoldToAscii = e.GetProperty("foldToAscii").GetBoolean(),
                    RemoveStopWords = e.GetProperty("removeStopWords").GetBoolean(),
                    Stem = e.GetProperty("stem").GetBoolean(),
                    NGramMin = e.GetProperty("ngramMin").GetInt32(),
                    NGramMax = e.GetProperty("ngramMax").GetInt32(),
                },
                K1 = e.GetProperty("k1").GetSingle(),
                B = e.GetProperty("b").GetSingle(),
            });
        }
        catch (VectLiteException ex)
        {
            throw new FormatException($"text index definition '{name}' is not valid: {ex.Message}", ex);
        }
    }
}
