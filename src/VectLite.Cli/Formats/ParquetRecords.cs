using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

namespace VectLite.Cli.Formats;

/// <summary>
/// Records as Parquet (Parquet.Net, fully managed): the columns of <see cref="CsvRecords"/> with types. An <c>id</c>
/// column (integers or strings; optional on import: rows are then ids 0, 1, 2, ...), an optional <c>namespace</c>
/// string column, <c>vector</c> and <c>vector:NAME</c> columns of type list&lt;float&gt; (list&lt;double&gt; is read
/// too), and every other column a payload field: integers, floats, booleans, strings, dates (as ISO-8601 strings) and
/// lists of those.
/// </summary>
/// <remarks>
/// Export writes one row group per 10,000 records (memory is bounded by one row group; on import, by the file's own row
/// groups). A payload field whose values are objects, arrays or of mixed types is written as a string column holding
/// JSON, and the file's key-value metadata (<c>vectlite.json_columns</c>) names those columns so import parses them
/// back; other readers see JSON text. A missing field or vector is a null.
/// </remarks>
internal static class ParquetRecords
{
    /// <summary>The file metadata key naming the columns that hold JSON text.</summary>
    public const string JsonColumnsKey = "vectlite.json_columns";

    private const int RowGroupSize = 10_000;

    /// <summary>Reads the records of a Parquet file; the "line" of each is its 1-based row number.</summary>
    /// <exception cref="CliUsageException">Not a Parquet file, a column of a kind the tool cannot map, or a bad value; the message names the row or column.</exception>
    public static IEnumerable<(long Line, Record? Record)> Read(string path)
    {
        ParquetReader reader;
        try
        {
            reader = ParquetReader.CreateAsync(path).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not CliUsageException)
        {
            throw new CliUsageException($"'{path}' is not a readable Parquet file ({ex.Message}).");
        }
        try
        {
            HashSet<string> jsonColumns = reader.CustomMetadata.TryGetValue(JsonColumnsKey, out string? names)
                ? names.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)
                : [];
            var columns = new List<Column>();
            foreach (Field field in reader.Schema.Fields)
            {
                columns.Add(Classify(field, jsonColumns));
            }
            long rowNumber = 0;
            for (int g = 0; g < reader.RowGroupCount; g++)
            {
                using ParquetRowGroupReader group = reader.OpenRowGroupReader(g);
                int rows = checked((int)group.RowCount);
                var values = new object?[columns.Count][];
                for (int c = 0; c < columns.Count; c++)
                {
                    try
                    {
                        values[c] = ReadColumn(group, columns[c], rows);
                    }
                    catch (Exception ex) when (ex is not CliUsageException)
                    {
                        throw new CliUsageException($"'{path}': column '{columns[c].Name}' in rows {rowNumber + 1}-{rowNumber + rows} cannot be read ({ex.Message}).");
                    }
                }
                for (int r = 0; r < rows; r++)
                {
                    rowNumber++;
                    yield return (rowNumber, BuildRecord(columns, values, r, rowNumber));
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private enum Role
    {
        Id,
        Namespace,
        Vector,
        Payload,
    }

    /// <summary>A top-level column: its role, and the leaf field that holds its values.</summary>
    private sealed record Column(string Name, Role Role, DataField Leaf, bool IsList, bool IsJson)
    {
        public string VectorName => Name == CsvRecords.VectorColumn ? "" : Name[CsvRecords.NamedVectorPrefix.Length..];
    }

    private static Column Classify(Field field, HashSet<string> jsonColumns)
    {
        (DataField leaf, bool isList) = field switch
        {
            DataField data => (data, data.IsArray),
            ListField { Item: DataField item } => (item, true),
            _ => throw new CliUsageException($"column '{field.Name}' is a {field.SchemaType}; import reads scalar columns and lists of scalars."),
        };
        string name = field.Name;
        if (name == CsvRecords.VectorColumn || (name.StartsWith(CsvRecords.NamedVectorPrefix, StringComparison.Ordinal) && name.Length > CsvRecords.NamedVectorPrefix.Length))
        {
            if (!isList || (leaf.ClrType != typeof(float) && leaf.ClrType != typeof(double)))
            {
                throw new CliUsageException($"column '{name}' must be a list<float> (or list<double>), not {(isList ? "a list of " : "")}{leaf.ClrType.Name}.");
            }
            return new Column(name, Role.Vector, leaf, true, false);
        }
        Role role = name switch
        {
            "id" => Role.Id,
            "namespace" => Role.Namespace,
            _ => Role.Payload,
        };
        if (role != Role.Payload && isList)
        {
            throw new CliUsageException($"column '{name}' must be a scalar, not a list.");
        }
        return new Column(name, role, leaf, isList, jsonColumns.Contains(name));
    }

    private static Record BuildRecord(List<Column> columns, object?[][] values, int r, long rowNumber)
    {
        RecordId id = new((ulong)(rowNumber - 1));
        int idColumn = columns.FindIndex(c => c.Role == Role.Id);
        if (idColumn >= 0)
        {
            id = values[idColumn][r] switch
            {
                ulong n => new RecordId(n),
                long n when n >= 0 => new RecordId((ulong)n),
                string s when s.Length > 0 => RecordJson.ParseId(s, asString: false),
                null => throw new CliUsageException($"row {rowNumber}: the id is null."),
                var other => throw new CliUsageException($"row {rowNumber}: the id {other} is not an unsigned integer or a string."),
            };
        }
        var record = new Record(id);
        for (int c = 0; c < columns.Count; c++)
        {
            Column column = columns[c];
            object? value = values[c][r];
            if (value is null)
            {
                continue;
            }
            switch (column.Role)
            {
                case Role.Namespace:
                    record.Namespace = value as string is { Length: > 0 } ns ? ns : null;
                    break;
                case Role.Vector:
                    float[] vector = (float[])value;
                    if (column.VectorName.Length == 0)
                    {
                        record.Vector = vector;
                    }
                    else
                    {
                        record.Vectors[column.VectorName] = vector;
                    }
                    break;
                case Role.Payload:
                    (record.Payload ??= new JsonObject())[column.Name] = ToJson(value, column, rowNumber);
                    break;
            }
        }
        return record;
    }

    private static JsonNode? ToJson(object? value, Column column, long rowNumber) => value switch
    {
        null => null,
        string s when column.IsJson => ParseJson(s, column, rowNumber),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long n => JsonValue.Create(n),
        ulong n => JsonValue.Create(n),
        double d => double.IsFinite(d) ? JsonValue.Create(d) : throw new CliUsageException($"row {rowNumber}: column '{column.Name}' is {d}, which JSON cannot hold."),
        List<object?> list => new JsonArray(list.Select(item => ToJson(item, column with { IsJson = false }, rowNumber)).ToArray()),
        _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    private static JsonNode? ParseJson(string text, Column column, long rowNumber)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"row {rowNumber}: column '{column.Name}' should hold JSON ({ex.Message}).");
        }
    }

    /// <summary>One column's values for each row of the group: null when absent; float[] for vectors; a list for list columns.</summary>
    private static object?[] ReadColumn(ParquetRowGroupReader group, Column column, int rows)
    {
        DataField leaf = column.Leaf;
        if (column.Role == Role.Vector)
        {
            return leaf.ClrType == typeof(float)
                ? Levels<float>(group, leaf, rows, v => v, list => list.Select(x => (float)x!).ToArray())
                : Levels<double>(group, leaf, rows, v => (float)v, list => list.Select(x => (float)x!).ToArray());
        }
        Type type = leaf.ClrType;
        return type switch
        {
            _ when type == typeof(string) || type == typeof(ReadOnlyMemory<char>) => Levels<ReadOnlyMemory<char>>(group, leaf, rows, v => new string(v.Span), ListOf),
            _ when type == typeof(bool) => Levels<bool>(group, leaf, rows, v => v, ListOf),
            _ when type == typeof(int) => Levels<int>(group, leaf, rows, v => (long)v, ListOf),
            _ when type == typeof(long) => Levels<long>(group, leaf, rows, v => v, ListOf),
            _ when type == typeof(short) => Levels<short>(group, leaf, rows, v => (long)v, ListOf),
            _ when type == typeof(sbyte) => Levels<sbyte>(group, leaf, rows, v => (long)v, ListOf),
            _ when type == typeof(byte) => Levels<byte>(group, leaf, rows, v => (long)v, ListOf),
            _ when type == typeof(ushort) => Levels<ushort>(group, leaf, rows, v => (long)v, ListOf),
            _ when type == typeof(uint) => Levels<uint>(group, leaf, rows, v => (long)v, ListOf),
            _ when type == typeof(ulong) => Levels<ulong>(group, leaf, rows, v => v, ListOf),
            _ when type == typeof(float) => Levels<float>(group, leaf, rows, v => (double)v, ListOf),
            _ when type == typeof(double) => Levels<double>(group, leaf, rows, v => v, ListOf),
            _ when type == typeof(decimal) => Levels<decimal>(group, leaf, rows, v => (double)v, ListOf),
            _ when type == typeof(DateTime) => Levels<DateTime>(group, leaf, rows, v => v.ToString("O", CultureInfo.InvariantCulture), ListOf),
            _ when type == typeof(DateTimeOffset) => Levels<DateTimeOffset>(group, leaf, rows, v => v.ToString("O", CultureInfo.InvariantCulture), ListOf),
            _ => throw new CliUsageException($"column '{column.Name}' has type {type.Name}, which the tool does not map to JSON."),
        };
    }

    private static object ListOf(List<object?> items) => items;

    /// <summary>
    /// Reads a column's packed values with its definition and repetition levels and turns them into one value per row:
    /// a slot holds a value where its definition level is the maximum; in a list column a repetition level of 0 starts
    /// the next row's list, and a slot without a value (an empty or null list, a null element) adds nothing.
    /// </summary>
    private static object?[] Levels<T>(ParquetRowGroupReader group, DataField leaf, int rows, Func<T, object> convert, Func<List<object?>, object> finish)
        where T : struct
    {
        int slots = checked((int)(group.GetMetadata(leaf)?.MetaData?.NumValues ?? throw new CliUsageException($"column '{leaf.Path}' has no data in this row group.")));
        int maxDefinition = leaf.MaxDefinitionLevel, maxRepetition = leaf.MaxRepetitionLevel;
        var values = new T[slots];
        // Level buffers are passed even for a column without levels (Parquet.Net checks their size against the values
        // either way); they are only read below when the column has such levels.
        int[] definitionBuffer = new int[slots], repetitionBuffer = new int[slots];
        group.ReadRawAsync<T>(leaf, values, definitionBuffer, repetitionBuffer, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        int[]? definitions = maxDefinition > 0 ? definitionBuffer : null;
        int[]? repetitions = maxRepetition > 0 ? repetitionBuffer : null;
        var result = new object?[rows];
        var lists = repetitions is null ? null : new List<object?>?[rows];
        int next = 0, row = -1;
        for (int s = 0; s < slots; s++)
        {
            bool present = definitions is null || definitions[s] == maxDefinition;
            if (lists is null)
            {
                row = s;
                if (present)
                {
                    result[row] = convert(values[next++]);
                }
                continue;
            }
            if (repetitions![s] == 0)
            {
                row++;
            }
            if (present)
            {
                (lists[row] ??= []).Add(convert(values[next++]));
            }
        }
        if (lists is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                result[r] = lists[r] is { } items ? finish(items) : null;
            }
        }
        return result;
    }

    /// <summary>How a payload field is written: its type across every record in scope.</summary>
    private enum FieldType
    {
        None,
        Bool,
        Long,
        Double,
        String,
        Json,
    }

    /// <summary>
    /// Writes the records in scope: a first pass without vectors finds the id type and each field's type, then the records
    /// stream through in row groups of <see cref="RowGroupSize"/>.
    /// </summary>
    public static long Write(string path, Collection collection, ScrollOptions scope, List<string> fields, bool withNamespace, Action<long> progress)
    {
        bool numericIds = true;
        var types = fields.ToDictionary(f => f, _ => FieldType.None, StringComparer.Ordinal);
        foreach (Record record in FileFormats.Records(collection, new ScrollOptions { Limit = 1000, Namespace = scope.Namespace, AllNamespaces = scope.AllNamespaces, Filter = scope.Filter }))
        {
            numericIds &= !record.Id.IsString;
            if (record.Payload is { } payload)
            {
                foreach ((string key, JsonNode? value) in payload)
                {
                    types[key] = Merge(types[key], TypeOf(value));
                }
            }
        }
        CollectionSchema schema = collection.Schema;
        bool single = QdrantSingle(schema);
        var idField = numericIds ? (DataField)new DataField<ulong>("id") : new DataField<string>("id");
        var namespaceField = new DataField<string>("namespace");
        var vectorFields = schema.Vectors.Select(v => (v.Name, List: new ListField(single ? CsvRecords.VectorColumn : CsvRecords.NamedVectorPrefix + v.Name, new DataField<float>("element")))).ToList();
        var payloadFields = fields.Select(f => (Name: f, Type: types[f], Field: types[f] switch
        {
            FieldType.Bool => (DataField)new DataField<bool?>(f),
            FieldType.Long => new DataField<long?>(f),
            FieldType.Double => new DataField<double?>(f),
            _ => new DataField<string>(f),
        })).ToList();
        var all = new List<Field> { idField };
        if (withNamespace)
        {
            all.Add(namespaceField);
        }
        all.AddRange(vectorFields.Select(v => (Field)v.List));
        all.AddRange(payloadFields.Select(p => (Field)p.Field));

        using var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, bufferSize: 1 << 20);
        ParquetWriter writer = ParquetWriter.CreateAsync(new ParquetSchema(all), stream).GetAwaiter().GetResult();
        string json = string.Join(',', payloadFields.Where(p => p.Type == FieldType.Json).Select(p => p.Name));
        if (json.Length > 0)
        {
            writer.CustomMetadata = new Dictionary<string, string> { [JsonColumnsKey] = json };
        }
        long count = 0;
        var batch = new List<Record>(RowGroupSize);
        void Flush()
        {
            using ParquetRowGroupWriter group = writer.CreateRowGroup();
            if (numericIds)
            {
                group.WriteAsync<ulong>(idField, batch.Select(r => r.Id.AsNumber).ToArray()).GetAwaiter().GetResult();
            }
            else
            {
                group.WriteAsync(idField, batch.Select(r => r.Id.ToString()).ToList()).GetAwaiter().GetResult();
            }
            if (withNamespace)
            {
                group.WriteAsync(namespaceField, batch.Select(r => r.Namespace).ToList()).GetAwaiter().GetResult();
            }
            foreach ((string name, ListField list) in vectorFields)
            {
                WriteVectors(group, (DataField)list.Item, batch, name);
            }
            foreach ((string name, FieldType type, DataField field) in payloadFields)
            {
                JsonNode?[] cells = batch.Select(r => r.Payload?[name]).ToArray();
                switch (type)
                {
                    case FieldType.Bool:
                        group.WriteAsync<bool>(field, cells.Select(c => c is null ? (bool?)null : c.GetValue<bool>()).ToArray()).GetAwaiter().GetResult();
                        break;
                    case FieldType.Long:
                        group.WriteAsync<long>(field, cells.Select(c => c is null ? (long?)null : c.GetValue<long>()).ToArray()).GetAwaiter().GetResult();
                        break;
                    case FieldType.Double:
                        group.WriteAsync<double>(field, cells.Select(c => c is null ? (double?)null : c.GetValue<double>()).ToArray()).GetAwaiter().GetResult();
                        break;
                    default:
                        group.WriteAsync(field, cells.Select(c => c is null ? null : type == FieldType.String ? c.GetValue<string>() : c.ToJsonString()).ToList()).GetAwaiter().GetResult();
                        break;
                }
            }
            count += batch.Count;
            batch.Clear();
            progress(count);
        }
        foreach (Record record in FileFormats.Records(collection, scope))
        {
            batch.Add(record);
            if (batch.Count == RowGroupSize)
            {
                Flush();
            }
        }
        if (batch.Count > 0 || count == 0)
        {
            Flush();
        }
        writer.DisposeAsync().AsTask().GetAwaiter().GetResult(); // writes the footer; on an error above the file is incomplete anyway
        return count;
    }

    /// <summary>A list&lt;float&gt; column: the values of every row one after another, a repetition level of 0 where a
    /// row's list starts. The engine has every named vector in every record, so no list is null.</summary>
    private static void WriteVectors(ParquetRowGroupWriter group, DataField item, List<Record> batch, string name)
    {
        var values = new List<float?>(); // nullable: Parquet.Net derives a nested leaf's definition levels from the nulls (there are none)
        var repetitions = new List<int>();
        foreach (Record record in batch)
        {
            ReadOnlySpan<float> vector = record.Vectors[name].Span;
            for (int i = 0; i < vector.Length; i++)
            {
                values.Add(vector[i]);
                repetitions.Add(i == 0 ? 0 : 1);
            }
        }
        group.WriteAsync<float>(item, values.ToArray(), repetitions.ToArray(), null, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static bool QdrantSingle(CollectionSchema schema) =>
        schema.Vectors.Count == 1 && schema.Vectors[0].Name == CollectionSchema.DefaultVectorName;

    private static FieldType TypeOf(JsonNode? value) => value switch
    {
        null => FieldType.None,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => FieldType.Bool,
            JsonValueKind.String => FieldType.String,
            JsonValueKind.Number => v.TryGetValue(out long _) ? FieldType.Long : FieldType.Double,
            _ => FieldType.Json,
        },
        _ => FieldType.Json,
    };

    private static FieldType Merge(FieldType a, FieldType b) => (a, b) switch
    {
        _ when a == b => a,
        (FieldType.None, _) => b,
        (_, FieldType.None) => a,
        (FieldType.Long, FieldType.Double) or (FieldType.Double, FieldType.Long) => FieldType.Double,
        _ => FieldType.Json,
    };
}
