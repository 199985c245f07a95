using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite search DB COLLECTION (--vector "[..]" | --vector-file F | --like ID | --text "words") [--top-k 10] [--ef N] [--exact]
/// [--filter JSON] [--namespace NS | --all-namespaces] [--vector-name NAME] [--json]</c>: nearest neighbours.
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var name = CommonOptions.Collection();
        var vector = new Option<string?>("--vector") { Description = "The query vector as a JSON array, e.g. \"[0.1, 0.2, 0.3]\"." };
        var vectorFile = new Option<string?>("--vector-file") { Description = "A file holding the query vector as a JSON array." };
        var like = new Option<string?>("--like") { Description = "Search with a stored record's vector (the record itself left out)." };
        var text = new Option<string?>("--text") { Description = "Search with the embedding of this text (the built-in all-MiniLM-L6-v2 model, as import --embed uses)." };
        var topK = new Option<int>("--top-k", "-k") { Description = "How many hits.", DefaultValueFactory = _ => 10 };
        var ef = new Option<int?>("--ef") { Description = "HNSW search breadth for this query (default: the collection's)." };
        var exact = new Option<bool>("--exact") { Description = "Exact search (a scan), no index." };
        var vectorName = new Option<string?>("--vector-name") { Description = "Which named vector to search (default: the only one)." };
        var ns = CommonOptions.Namespace();
        var all = CommonOptions.AllNamespaces();
        var filter = CommonOptions.Filter();
        var json = CommonOptions.Json();
        var command = new Command("search", "Find the nearest records to a vector.") { path, name, vector, vectorFile, like, text, topK, ef, exact, vectorName, ns, all, filter, json };
        command.SetAction(result => CliErrors.Run(() =>
        {
            int given = (result.GetValue(vector) is null ? 0 : 1) + (result.GetValue(vectorFile) is null ? 0 : 1) + (result.GetValue(like) is null ? 0 : 1)
                + (result.GetValue(text) is null ? 0 : 1);
            if (given != 1)
            {
                throw new CliUsageException("give exactly one of --vector, --vector-file, --like and --text.");
            }
            CommonOptions.CheckScope(result.GetValue(ns), result.GetValue(all));
            var options = new SearchOptions
            {
                TopK = result.GetValue(topK),
                Ef = result.GetValue(ef),
                Exact = result.GetValue(exact),
                VectorName = result.GetValue(vectorName),
                Namespace = result.GetValue(ns),
                AllNamespaces = result.GetValue(all),
                Filter = CommonOptions.ParseFilter(result.GetValue(filter)),
            };
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            Collection c = db.GetCollection(result.GetRequiredValue(name));
            IReadOnlyList<SearchHit> hits;
            if (result.GetValue(like) is { } id)
            {
                hits = c.SearchById(RecordJson.ParseId(id, asString: false), options);
            }
            else if (result.GetValue(text) is { } words)
            {
                using TextEmbedder embedder = TextEmbedder.Load("--text");
                hits = c.Search(embedder.Embed([words])[0], options);
            }
            else
            {
                hits = c.Search(ParseVector(result.GetValue(vector) ?? ReadFile(result.GetValue(vectorFile)!)), options);
            }
            if (result.GetValue(json))
            {
                var lines = new JsonLines(Console.Out);
                foreach (SearchHit hit in hits)
                {
                    lines.Write(w => RecordJson.Write(w, hit));
                }
            }
            else
            {
                Console.Out.WriteLine("rank\tid\tnamespace\tscore\tpayload");
                for (int i = 0; i < hits.Count; i++)
                {
                    SearchHit hit = hits[i];
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i + 1}\t{hit.Id}\t{hit.Namespace}\t{hit.Score:0.######}\t{hit.Payload?.ToJsonString() ?? ""}"));
                }
            }
            return 0;
        }));
        return command;
    }

    private static string ReadFile(string file) =>
        File.Exists(file) ? File.ReadAllText(file) : throw new CliUsageException($"'{file}' does not exist.");

    private static float[] ParseVector(string text)
    {
        try
        {
            if (JsonNode.Parse(text) is JsonArray array)
            {
                return [.. array.Select((v, i) => v is JsonValue n && n.GetValueKind() == System.Text.Json.JsonValueKind.Number
                    ? n.GetValue<float>()
                    : throw new CliUsageException($"the query vector's element {i} is not a number."))];
            }
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new CliUsageException($"the query vector is not JSON ({ex.Message}).");
        }
        throw new CliUsageException("the query vector must be a JSON array of numbers.");
    }
}
