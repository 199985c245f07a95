using System.Text.Json.Nodes;

namespace VectLite.Tests.Engine;

internal static class TestData
{
    public static float[] RandomVector(Random random, int dimension)
    {
        var v = new float[dimension];
        for (int i = 0; i < dimension; i++)
        {
            v[i] = (float)(random.NextDouble() * 2 - 1);
        }
        return v;
    }

    public static readonly string[] Colors = ["red", "green", "blue", "black"];

    /// <summary>Records 0..count-1 with random vectors and a payload: color, price, in_stock, tags, meta.rank.</summary>
    public static List<Record> Records(int count, int dimension, int seed = 1, string? @namespace = null)
    {
        var random = new Random(seed);
        var records = new List<Record>(count);
        for (int i = 0; i < count; i++)
        {
            records.Add(new Record(i, RandomVector(random, dimension), new JsonObject
            {
                ["color"] = Colors[i % Colors.Length],
                ["price"] = i % 100,
                ["in_stock"] = i % 3 == 0,
                ["tags"] = new JsonArray("t" + (i % 5), "all"),
                ["meta"] = new JsonObject { ["rank"] = i },
            })
            { Namespace = @namespace });
        }
        return records;
    }

    public static string Canonical(JsonObject? payload) => payload?.ToJsonString() ?? "null";
}
