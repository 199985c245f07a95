using System.CommandLine;

namespace VectLite.Cli;

/// <summary><c>vectlite create DB NAME --dimension N [--metric cosine] [--index field:keyword]...</c>: a new collection (and the database, if the directory is new).</summary>
internal static class CreateCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var name = CommonOptions.Collection();
        var dimension = new Option<int?>("--dimension", "-d") { Description = "The vector dimension; omit for a metadata-only collection." };
        var metric = new Option<string>("--metric", "-m") { Description = "cosine, l2, dot or l1.", DefaultValueFactory = _ => "cosine" };
        var indexes = new Option<string[]>("--index") { Description = "A payload index, FIELD:keyword|numeric|bool (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("create", "Create a collection; creates the database when the directory does not exist or is empty.") { path, name, dimension, metric, indexes };
        command.SetAction(result => CliErrors.Run(() =>
        {
            string dir = result.GetRequiredValue(path);
            if (File.Exists(dir))
            {
                throw new CliUsageException($"'{dir}' is a file; a VectLite database is a directory.");
            }
            if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any() && !Database.Exists(dir))
            {
                throw new CliUsageException($"'{dir}' is not empty and is not a VectLite database.");
            }
            CollectionSchema schema = result.GetValue(dimension) is { } dim
                ? CollectionSchema.SingleVector(dim, ParseMetric(result.GetValue(metric)!))
                : CollectionSchema.MetadataOnly();
            var parsedIndexes = (result.GetValue(indexes) ?? []).Select(ParseIndex).ToList(); // all checked before anything is created
            using Database db = Database.Open(dir);
            Collection c = db.CreateCollection(result.GetRequiredValue(name), schema);
            foreach ((string field, PayloadIndexKind kind) in parsedIndexes)
            {
                c.CreatePayloadIndex(field, kind);
            }
            Console.Out.WriteLine($"created {c.Name}: {(schema.Vectors.Count == 0 ? "no vectors" : $"{schema.Vectors[0].Dimension}-d {schema.Vectors[0].Metric}")}{(parsedIndexes.Count > 0 ? ", indexes " + string.Join(", ", parsedIndexes.Select(i => $"{i.Field} ({i.Kind})")) : "")}");
            return 0;
        }));
        return command;
    }

    internal static Metric ParseMetric(string text) => text.ToLowerInvariant() switch
    {
        "cosine" => Metric.Cosine,
        "l2" or "euclid" or "euclidean" => Metric.L2,
        "dot" => Metric.Dot,
        "l1" or "manhattan" => Metric.L1,
        _ => throw new CliUsageException($"--metric: '{text}' is not cosine, l2, dot or l1."),
    };

    private static (string Field, PayloadIndexKind Kind) ParseIndex(string text)
    {
        int colon = text.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new CliUsageException($"--index: '{text}' is not FIELD:keyword|numeric|bool.");
        }
        PayloadIndexKind kind = text[(colon + 1)..].ToLowerInvariant() switch
        {
            "keyword" => PayloadIndexKind.Keyword,
            "numeric" => PayloadIndexKind.Numeric,
            "bool" => PayloadIndexKind.Bool,
            _ => throw new CliUsageException($"--index: '{text[(colon + 1)..]}' is not keyword, numeric or bool."),
        };
        return (text[..colon], kind);
    }
}
