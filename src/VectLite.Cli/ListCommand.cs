using System.CommandLine;

namespace VectLite.Cli;

/// <summary><c>vectlite list DB [--json]</c>: the collections with their record counts and vectors.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var json = CommonOptions.Json();
        var command = new Command("list", "List the collections: records, vectors.") { path, json };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            var lines = new JsonLines(Console.Out);
            foreach (string name in db.ListCollections())
            {
                Collection c = db.GetCollection(name);
                if (result.GetValue(json))
                {
                    lines.Write(writer =>
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", name);
                        writer.WriteNumber("records", c.CountAllNamespaces());
                        writer.WriteStartArray("vectors");
                        foreach (VectorSpec v in c.Schema.Vectors)
                        {
                            writer.WriteStartObject();
                            writer.WriteString("name", v.Name);
                            writer.WriteNumber("dimension", v.Dimension);
                            writer.WriteString("metric", v.Metric.ToString());
                            writer.WriteEndObject();
                        }
                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    });
                }
                else
                {
                    string vectors = string.Join(", ", c.Schema.Vectors.Select(v => $"{v.Name}: {v.Dimension}-d {v.Metric}"));
                    Console.Out.WriteLine($"{name}\t{c.CountAllNamespaces():N0} records\t{(vectors.Length == 0 ? "no vectors" : vectors)}");
                }
            }
            return 0;
        }));
        return command;
    }
}
