using System.Globalization;
using System.Text;
using System.Text.Json;

namespace VectLite.Tests.Filtering;

/// <summary>
/// Seeded generators of payloads and filters over a small vocabulary, so that random filters hit random payloads
/// often enough to matter. Every field appears in several shapes: scalar, array, array of objects, missing,
/// null, and with the "wrong" JSON type.
/// </summary>
internal static class RandomPayloads
{
    public static readonly string[] Colors = ["red", "green", "blue", "dark red", "rouge", "grün"];
    public static readonly string[] Words = ["alpha", "beta", "gamma", "alphabet", "be", "x"];
    public static readonly string[] Fragments = ["al", "ph", "et", "x", "gam", "red", "ün"];

    /// <summary>Indexes the generated fields use; qty and meta.rank are left unindexed on purpose.</summary>
    public static readonly (string Field, PayloadIndexKind Kind)[] IndexDefinitions =
    [
        ("color", PayloadIndexKind.Keyword),
        ("price", PayloadIndexKind.Numeric),
        ("active", PayloadIndexKind.Bool),
        ("tags", PayloadIndexKind.Keyword),
        ("meta.author", PayloadIndexKind.Keyword),
        ("items.qty", PayloadIndexKind.Numeric),
        ("items.name", PayloadIndexKind.Keyword),
        ("items.0.ok", PayloadIndexKind.Bool),
    ];

    public static JsonDocument[] Generate(int count, int seed)
    {
        var random = new Random(seed);
        var documents = new JsonDocument[count];
        for (int i = 0; i < count; i++)
        {
            documents[i] = JsonDocument.Parse(Payload(random));
        }

        return documents;
    }

    public static JsonElement Element(JsonDocument? document) => document?.RootElement ?? default;

    private static string Payload(Random random)
    {
        if (random.Next(20) == 0)
        {
            return "{}";
        }

        var parts = new List<string>();
        Maybe(random, parts, "color", () => random.Next(8) switch
        {
            0 => "null",
            1 => $"[{Quote(Pick(random, Colors))},{Quote(Pick(random, Colors))}]",
            2 => Number(random),
            _ => Quote(Pick(random, Colors)),
        });
        Maybe(random, parts, "price", () => random.Next(10) switch
        {
            0 => "\"5\"",
            1 => $"[{Number(random)},{Number(random)}]",
            2 => "null",
            3 => "true",
            _ => Number(random),
        });
        Maybe(random, parts, "qty", () => random.Next(0, 5).ToString(CultureInfo.InvariantCulture));
        Maybe(random, parts, "active", () => random.Next(6) switch
        {
            0 => "null",
            1 => "[true,false]",
            2 => "1",
            _ => random.Next(2) == 0 ? "true" : "false",
        });
        Maybe(random, parts, "tags", () =>
        {
            int n = random.Next(0, 4);
            var tags = new string[n];
            for (int t = 0; t < n; t++)
            {
                tags[t] = Quote(Pick(random, Words));
            }

            return random.Next(5) == 0 ? Quote(Pick(random, Words)) : "[" + string.Join(",", tags) + "]";
        });
        Maybe(random, parts, "meta", () =>
            $"{{\"author\":{(random.Next(4) == 0 ? "null" : Quote(Pick(random, Words)))},\"rank\":{Number(random)}}}");
        Maybe(random, parts, "items", () =>
        {
            int n = random.Next(0, 4);
            var items = new string[n];
            for (int t = 0; t < n; t++)
            {
                items[t] = random.Next(6) == 0
                    ? Number(random)
                    : $"{{\"name\":{Quote(Pick(random, Words))},\"qty\":{Number(random)},\"ok\":{(random.Next(2) == 0 ? "true" : "false")}}}";
            }

            return "[" + string.Join(",", items) + "]";
        });

        return "{" + string.Join(",", parts) + "}";
    }

    /// <summary>A random filter tree of at most <paramref name="depth"/> logical levels.</summary>
    public static Filter RandomFilter(Random random, int depth)
    {
        if (depth > 0 && random.Next(3) == 0)
        {
            int n = random.Next(1, 4);
            var children = new Filter[n];
            for (int i = 0; i < n; i++)
            {
                children[i] = RandomFilter(random, depth - 1);
            }

            return random.Next(5) switch
            {
                0 => Filter.Not(children[0]),
                1 or 2 => Filter.Or(children),
                _ => Filter.And(children),
            };
        }

        return RandomCondition(random);
    }

    private static Filter RandomCondition(Random random)
    {
        string[] fields = ["color", "price", "qty", "active", "tags", "meta.author", "meta.rank", "items.qty", "items.name", "items.0.ok", "items.1.qty"];
        string field = Pick(random, fields);
        // Mostly the JSON type the field usually holds (so indexes can answer), sometimes any type.
        FilterValueKind usual = field switch
        {
            "color" or "tags" or "meta.author" or "items.name" => FilterValueKind.String,
            "active" or "items.0.ok" => FilterValueKind.Boolean,
            _ => FilterValueKind.Number,
        };
        FilterValue Operand()
        {
            FilterValueKind kind = random.Next(5) != 0 ? usual : (FilterValueKind)random.Next(4);
            return kind switch
            {
                FilterValueKind.Null => FilterValue.Null,
                FilterValueKind.Boolean => random.Next(2) == 0,
                FilterValueKind.String => random.Next(2) == 0 ? Pick(random, Colors) : Pick(random, Words),
                _ => random.Next(0, 12) + (random.Next(3) == 0 ? 0.5 : 0),
            };
        }

        FilterValue Comparable()
        {
            FilterValue value = Operand();
            return value.Kind is FilterValueKind.Number or FilterValueKind.String ? value : random.Next(0, 12);
        }

        return random.Next(10) switch
        {
            0 => Filter.Eq(field, Operand()),
            1 => Filter.Ne(field, Operand()),
            2 => Filter.Gt(field, Comparable()),
            3 => Filter.Gte(field, Comparable()),
            4 => Filter.Lt(field, Comparable()),
            5 => Filter.Lte(field, Comparable()),
            6 => Filter.In(field, Operand(), Operand()),
            7 => Filter.Nin(field, Operand()),
            8 => Filter.Contains(field, random.Next(2) == 0 ? Pick(random, Fragments) : Operand()),
            _ => Filter.Exists(field, random.Next(4) != 0),
        };
    }

    private static void Maybe(Random random, List<string> parts, string key, Func<string> value)
    {
        if (random.Next(6) != 0)
        {
            parts.Add(Quote(key) + ":" + value());
        }
    }

    private static string Number(Random random) => random.Next(4) == 0
        ? (random.Next(0, 24) / 2.0).ToString("R", CultureInfo.InvariantCulture)
        : random.Next(0, 12).ToString(CultureInfo.InvariantCulture);

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    private static string Quote(string value)
    {
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (char c in value)
        {
            // Escape some non-ASCII text so the evaluator's escaped-string path is exercised too.
            if (c > 127)
            {
                builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.Append('"').ToString();
    }
}
