using System.CommandLine;
using VectLite.Cli;

var root = new RootCommand("vectlite: create, load, query, inspect, verify, compact, back up and recover VectLite databases.")
{
    DemoCommand.Create(),
    TextDemoCommand.Create(),
    CreateCommand.Create(),
    ListCommand.Create(),
    DropCommand.Create(),
    ImportCommand.Create(),
    ExportCommand.Create(),
    GetCommand.Create(),
    CountCommand.Create(),
    SearchCommand.Create(),
    DeleteCommand.Create(),
    BenchCommand.Create(),
    InspectCommand.Create(),
    VerifyCommand.Create(),
    CompactCommand.Create(),
    BackupCommand.Create(),
    RecoverCommand.Create(),
    ServeCommand.Create(),
};
ParseResult parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Usage errors exit with 2 (a command's own failure is 1), on stderr, so scripts can tell them apart.
    foreach (System.CommandLine.Parsing.ParseError error in parsed.Errors)
    {
        Console.Error.WriteLine($"error: {error.Message}");
    }
    Console.Error.WriteLine("Run 'vectlite --help' for usage.");
    return CliErrors.Usage;
}
return parsed.Invoke();
