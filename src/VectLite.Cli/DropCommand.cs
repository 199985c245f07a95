using System.CommandLine;

namespace VectLite.Cli;

/// <summary><c>vectlite drop DB NAME</c>: deletes a collection and its files.</summary>
internal static class DropCommand
{
    public static Command Create()
    {
        var path = CommonOptions.Database();
        var lockTimeout = CommonOptions.LockTimeout();
        var name = CommonOptions.Collection();
        var command = new Command("drop", "Delete a collection and all its files.") { path, lockTimeout, name };
        command.SetAction(result => CliErrors.Run(() =>
        {
            using Database db = CommonOptions.Open(result.GetRequiredValue(path), readOnly: false, result.GetValue(lockTimeout));
            string collection = result.GetRequiredValue(name);
            if (!db.DropCollection(collection))
            {
                throw new CollectionNotFoundException(collection);
            }
            Console.Out.WriteLine($"dropped {collection}");
            return 0;
        }));
        return command;
    }
}
