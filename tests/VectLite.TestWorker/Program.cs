using System.Globalization;
using System.Text.Json.Nodes;
using VectLite;

// Usage:
//   write DB SEED        writes batches forever in PerOp mode; prints "ack B" after batch B is acknowledged.
//                        Batch B holds ids B*5 .. B*5+4; every 7th batch deletes the previous batch's first id;
//                        every 50th batch checkpoints, so kills also land inside checkpoints.
//   hold DB              opens DB for writing, prints "locked", and holds the lock until stdin closes.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: write DB SEED | hold DB");
    return 2;
}

switch (args[0])
{
    case "write":
        return Write(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
    case "hold":
        using (Database.Open(args[1]))
        {
            Console.Out.WriteLine("locked");
            Console.Out.Flush();
            Console.In.ReadToEnd();
        }
        return 0;
    default:
        Console.Error.WriteLine($"unknown mode {args[0]}");
        return 2;
}

static int Write(string path, int seed)
{
    using Database db = Database.Open(path, new DatabaseOptions { SyncMode = SyncMode.PerOp });
    Collection collection = db.GetOrCreateCollection("crash", CollectionSchema.SingleVector(8, Metric.L2));
    var random = new Random(seed);
    long batch = collection.Count() / 5 + 1_000_000L * seed; // a fresh id range per run
    TextWriter stdout = Console.Out;
    while (true)
    {
        var records = new List<Record>(5);
        for (int i = 0; i < 5; i++)
        {
            long id = batch * 5 + i;
            var vector = new float[8];
            for (int d = 0; d < vector.Length; d++)
            {
                vector[d] = (float)random.NextDouble();
            }
            records.Add(new Record(id, vector, new JsonObject { ["batch"] = batch, ["i"] = i }));
        }
        collection.UpsertMany(records);
        stdout.WriteLine($"ack {batch}");
        stdout.Flush();
        if (batch % 7 == 0)
        {
            collection.Delete((batch - 1) * 5);
            stdout.WriteLine($"del {(batch - 1) * 5}");
            stdout.Flush();
        }
        if (batch % 50 == 0)
        {
            collection.Compact();
        }
        batch++;
    }
}
