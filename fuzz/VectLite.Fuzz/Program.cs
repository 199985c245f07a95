using SharpFuzz;
using VectLite.Fuzz;

// VectLite.Fuzz TARGET                      run under afl-fuzz (persistent mode), or once on stdin without it
// VectLite.Fuzz TARGET --replay PATH...     run files (or every file of folders) in-process and report each outcome
// VectLite.Fuzz --seed CORPUS_DIR           write the seed corpus the engine produces into CORPUS_DIR/TARGET/
if (args.Length >= 2 && args[0] == "--seed")
{
    SeedCorpus.Write(args[1]);
    return 0;
}
if (args.Length < 1 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: VectLite.Fuzz TARGET [--replay PATH...] | --seed DIR\ntargets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}

string targetName = args[0];
if (args.Length >= 2 && args[1] == "--replay")
{
    int failures = 0;
    foreach (string file in args.Skip(2).SelectMany(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order() : (IEnumerable<string>)[p]))
    {
        try
        {
            FuzzTargets.Run(targetName, File.ReadAllBytes(file));
            Console.WriteLine($"ok      {file}");
        }
        catch (Exception ex)
        {
            failures++;
            Console.WriteLine($"FINDING {file}\n{ex}");
        }
    }
    return failures == 0 ? 0 : 1;
}

// No warm-up here: the instrumented engine may only run inside Fuzzer.Run, once the fuzzer's coverage map is attached.
// The first input pays for building the workspace; every later one reuses it (persistent mode).
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.Run(targetName, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;
