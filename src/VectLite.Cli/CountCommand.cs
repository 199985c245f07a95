using System.CommandLine;

namespace VectLite.Cli;

/// <summary><c>vectlite count DB COLLECTION [--filter JSON] [--namespace NS | --all-namespaces]</c>: the number of visible records.</summary>
internal static class CountCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var name = CommonOptions.Collection();
        var ns = CommonOptions.Namespace();
        var all = CommonOptions.AllNamespaces();
        var filter = CommonOptions.Filter();
        var command = new Command("count", "Count the visible records, optionally those matching a filter.") { path, name, ns, all, filter };
        command.SetAction(result => CliErrors.Run(() =>
        {
            CommonOptions.CheckScope(result.GetValue(ns), result.GetValue(all));
            Filter? parsed = CommonOptions.ParseFilter(result.GetValue(filter));
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: true);
            Collection c = db.GetCollection(result.GetRequiredValue(name));
            long count = result.GetValue(all) ? c.CountAllNamespaces(parsed) : c.Count(parsed, result.GetValue(ns));
            Console.Out.WriteLine(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }));
        return command;
    }
}
