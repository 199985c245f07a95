using System.CommandLine;

namespace VectLite.Cli;

/// <summary><c>vectlite get DB COLLECTION ID [--namespace NS] [--string-id]</c>: one record as JSON (exit 1 when there is none).</summary>
internal static class GetCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var name = CommonOptions.Collection();
        var id = new Argument<string>("id") { Description = "The record's id (digits: a numeric id, unless --string-id)." };
        var ns = CommonOptions.Namespace();
        var stringId = new Option<bool>("--string-id") { Description = "Read the id as a string even when it is all digits." };
        var command = new Command("get", "Print one record (vectors, payload, expiry) as JSON.") { path, name, id, ns, stringId };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            RecordId key = RecordJson.ParseId(result.GetRequiredValue(id), result.GetValue(stringId));
            Record? record = db.GetCollection(result.GetRequiredValue(name)).Get(key, result.GetValue(ns));
            if (record is null)
            {
                Console.Error.WriteLine($"error: no record {key} in namespace '{result.GetValue(ns) ?? ""}'");
                return CliErrors.Failure;
            }
            new JsonLines(Console.Out).Write(json => RecordJson.Write(json, record));
            return 0;
        }));
        return command;
    }
}
