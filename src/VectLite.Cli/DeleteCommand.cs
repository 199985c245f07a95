using System.CommandLine;

namespace VectLite.Cli;

/// <summary>
/// <c>vectlite delete DB COLLECTION (--id ID... | --filter JSON) [--namespace NS | --all-namespaces]</c>: deletes records
/// by id or by filter, in one atomic batch.
/// </summary>
internal static class DeleteCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var lockTimeout = CommonOptions.LockTimeout();
        var name = CommonOptions.Collection();
        var ids = new Option<string[]>("--id") { Description = "A record id (repeatable; digits: a numeric id, unless --string-id)." };
        var stringId = new Option<bool>("--string-id") { Description = "Read ids as strings even when they are all digits." };
        var ns = CommonOptions.Namespace();
        var all = CommonOptions.AllNamespaces();
        var filter = CommonOptions.Filter();
        var command = new Command("delete", "Delete records by id or by filter, atomically.") { path, lockTimeout, name, ids, stringId, ns, all, filter };
        command.SetAction(result => CliErrors.Run(() =>
        {
            string[] idTexts = result.GetValue(ids) ?? [];
            string? filterText = result.GetValue(filter);
            if ((idTexts.Length == 0) == (filterText is null))
            {
                throw new CliUsageException("give either --id (one or more) or --filter.");
            }
            CommonOptions.CheckScope(result.GetValue(ns), result.GetValue(all));
            if (idTexts.Length > 0 && result.GetValue(all))
            {
                throw new CliUsageException("--all-namespaces deletes by filter only; give --namespace for ids.");
            }
            Filter? parsed = CommonOptions.ParseFilter(filterText);
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: false, result.GetValue(lockTimeout));
            Collection c = db.GetCollection(result.GetRequiredValue(name));
            int deleted = parsed is null
                ? c.DeleteMany(idTexts.Select(t => RecordJson.ParseId(t, result.GetValue(stringId))).ToList(), result.GetValue(ns))
                : result.GetValue(all) ? c.DeleteByFilterInAllNamespaces(parsed) : c.DeleteByFilter(parsed, result.GetValue(ns));
            Console.Out.WriteLine($"deleted {deleted:N0} records");
            return 0;
        }));
        return command;
    }
}
