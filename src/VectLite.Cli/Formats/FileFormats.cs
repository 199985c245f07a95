using System.Text.Json.Nodes;

namespace VectLite.Cli.Formats;

/// <summary>The file formats <c>import</c> and <c>export</c> speak, and what the tabular ones share.</summary>
internal static class FileFormats
{
    /// <summary>Every format name, for messages.</summary>
    public const string Names = "jsonl, csv, parquet, npy or fvecs";

    /// <summary>The format a file name implies (by extension), or <paramref name="fallback"/>.</summary>
    public static string FromName(string? path, string fallback)
    {
        string extension = path is null ? "" : Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".csv" or ".tsv" => "csv",
            ".parquet" => "parquet",
            ".npy" => "npy",
            ".fvecs" => "fvecs",
            ".jsonl" or ".ndjson" or ".json" => "jsonl",
            _ => fallback,
        };
    }

    /// <summary>Refuses a format name the tool does not know, and Parquet in the Native AOT build, which leaves it out.</summary>
    public static void Check(string kind, string option)
    {
        if (kind is not ("jsonl" or "csv" or "parquet" or "npy" or "fvecs"))
        {
            throw new CliUsageException($"{option}: '{kind}' is not {Names}.");
        }
#if !VECTLITE_PARQUET
        if (kind == "parquet")
        {
            throw new CliUsageException("this vectlite is the Native AOT build, built without Parquet (Parquet.Net is not trim-safe); install the dotnet tool (dotnet tool install -g VectLite.Cli) for Parquet files, or use JSON Lines or CSV.");
        }
#endif
    }

    /// <summary>Every record in scope, page by page (one page in memory).</summary>
    public static IEnumerable<Record> Records(Collection collection, ScrollOptions scope)
    {
        string? cursor = null;
        do
        {
            ScrollPage page = collection.Scroll(new ScrollOptions
            {
                Limit = scope.Limit,
                Namespace = scope.Namespace,
                AllNamespaces = scope.AllNamespaces,
                Filter = scope.Filter,
                IncludeVectors = scope.IncludeVectors,
                IncludePayload = scope.IncludePayload,
                Cursor = cursor,
            });
            foreach (Record record in page.Records)
            {
                yield return record;
            }
            cursor = page.NextCursor;
        }
        while (cursor is not null);
    }

    /// <summary>
    /// The top-level payload fields of the records in scope, in order of first appearance: the columns of a CSV or
    /// Parquet export, found by a first pass without vectors (only the field names are kept).
    /// </summary>
    /// <exception cref="CliUsageException">A field would clash with the id, namespace or vector columns.</exception>
    public static List<string> PayloadFields(Collection collection, ScrollOptions scope, string[] reserved, string reservedPrefix)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fields = new List<string>();
        foreach (Record record in Records(collection, new ScrollOptions { Limit = 1000, Namespace = scope.Namespace, AllNamespaces = scope.AllNamespaces, Filter = scope.Filter, IncludeVectors = false }))
        {
            if (record.Payload is not JsonObject payload)
            {
                continue;
            }
            foreach ((string key, _) in payload)
            {
                if (seen.Add(key))
                {
                    if (reserved.Contains(key, StringComparer.Ordinal) || key.StartsWith(reservedPrefix, StringComparison.Ordinal))
                    {
                        throw new CliUsageException($"record {record.Id}: payload field '{key}' would clash with a column of the same name; export as JSON Lines instead.");
                    }
                    fields.Add(key);
                }
            }
        }
        return fields;
    }

    /// <summary>The one vector an .npy export writes.</summary>
    public static VectorSpec OneVector(Collection collection, string? name)
    {
        IReadOnlyList<VectorSpec> vectors = collection.Schema.Vectors;
        if (name is null)
        {
            return vectors.Count == 1
                ? vectors[0]
                : throw new CliUsageException($"collection '{collection.Name}' has {vectors.Count} vectors; choose one with --vector ({string.Join(", ", vectors.Select(v => v.Name))}).");
        }
        return vectors.FirstOrDefault(v => v.Name == name) ?? throw new CliUsageException($"--vector: collection '{collection.Name}' has no vector named '{name}'.");
    }
}
