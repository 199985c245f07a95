using System.CommandLine;

namespace VectLite.Cli;

/// <summary>Options the data commands share: the collection argument, namespace scope, filter, JSON output.</summary>
internal static class CommonOptions
{
    public static Argument<string> Database() => new("database") { Description = "The database directory." };

    public static Argument<string> Collection() => new("collection") { Description = "The collection's name." };

    public static Option<string?> Namespace() => new("--namespace", "-n") { Description = "The namespace (tenant); default: the default namespace." };

    public static Option<bool> AllNamespaces() => new("--all-namespaces") { Description = "Span every namespace." };

    public static Option<string?> Filter() => new("--filter", "-f") { Description = "A payload filter as JSON, e.g. '{\"lang\": \"en\", \"year\": {\"$gte\": 2020}}' (docs/filters.md)." };

    public static Option<bool> Json() => new("--json") { Description = "JSON output for scripts (one object per line) instead of a table." };

    public static Option<double> LockTimeout() => new("--lock-timeout")
    {
        Description = "Seconds to wait for another process's writer lock before failing (default 0: fail at once).",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>Parses the filter option, naming the problem as a usage error.</summary>
    public static Filter? ParseFilter(string? json)
    {
        if (json is null)
        {
            return null;
        }
        try
        {
            return VectLite.Filter.Parse(json);
        }
        catch (FilterParseException ex)
        {
            throw new CliUsageException($"--filter: {ex.Message}");
        }
    }

    /// <summary>Checks that a namespace and --all-namespaces were not both given.</summary>
    public static void CheckScope(string? @namespace, bool all)
    {
        if (@namespace is not null && all)
        {
            throw new CliUsageException("--namespace and --all-namespaces exclude each other.");
        }
    }

    /// <summary>Opens an existing database read-only (so it runs beside a writer) or for writing.</summary>
    /// <param name="path">The database directory; it must hold a database.</param>
    /// <param name="readOnly">Open read-only.</param>
    /// <param name="lockTimeoutSeconds">For a writer: how long to wait for another process's lock.</param>
    public static Database Open(string path, bool readOnly, double lockTimeoutSeconds = 0)
    {
        if (!(lockTimeoutSeconds is >= 0 and <= 86_400))
        {
            throw new CliUsageException("--lock-timeout must be between 0 and 86,400 seconds.");
        }
        return VectLite.Database.Open(DatabasePath.RequireExisting(path),
            new DatabaseOptions { ReadOnly = readOnly, LockTimeout = TimeSpan.FromSeconds(lockTimeoutSeconds) });
    }
}
