namespace VectLite.Cli.Tests;

/// <summary>
/// <c>inspect</c>, <c>verify</c>, <c>compact</c> and <c>recover</c> on a path that is not a database: exit code 2, one line on stderr,
/// no stack trace, and nothing created or changed (the engine's writer open would create a database there).
/// </summary>
public sealed class PathErrorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "vectlite-cli-tests", Guid.NewGuid().ToString("N"));

    public PathErrorTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("compact")]
    [InlineData("recover")]
    public void A_missing_path_exits_2_and_is_not_created(string command)
    {
        string path = Path.Combine(_root, "missing");

        CliResult run = CliProcess.Run(command, path);

        AssertUsageError(run, $"error: '{path}' does not exist.");
        Assert.False(Directory.Exists(path) || File.Exists(path));
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("compact")]
    [InlineData("recover")]
    public void An_empty_directory_exits_2_and_stays_empty(string command)
    {
        string path = Path.Combine(_root, "empty");
        Directory.CreateDirectory(path);

        CliResult run = CliProcess.Run(command, path);

        AssertUsageError(run, $"error: '{path}' is not a VectLite database (it has no vectlite.db manifest).");
        Assert.Empty(Directory.EnumerateFileSystemEntries(path));
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("compact")]
    [InlineData("recover")]
    public void A_directory_of_other_files_exits_2_and_is_unchanged(string command)
    {
        string path = Path.Combine(_root, "photos");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "holiday.jpg"), "not a database");
        SortedDictionary<string, string> before = DirectoryFingerprint.Of(path);

        CliResult run = CliProcess.Run(command, path);

        AssertUsageError(run, $"error: '{path}' is not a VectLite database (it has no vectlite.db manifest).");
        Assert.Equal(before, DirectoryFingerprint.Of(path));
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("compact")]
    [InlineData("recover")]
    public void A_file_instead_of_a_directory_exits_2_and_is_unchanged(string command)
    {
        string path = Path.Combine(_root, "notes.txt");
        File.WriteAllText(path, "hello");

        CliResult run = CliProcess.Run(command, path);

        AssertUsageError(run, $"error: '{path}' is a file; a VectLite database is a directory.");
        Assert.Equal("hello", File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(_root));
    }

    [Theory]
    [InlineData("verify")]
    [InlineData("verify", "--no-such-option", ".")]
    [InlineData("inspect")]
    [InlineData("no-such-command")]
    public void Bad_arguments_exit_2_with_the_problem_on_stderr(params string[] args)
    {
        CliResult run = CliProcess.Run(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal("", run.Stdout);
        Assert.False(run.HasStackTrace, run.ToString());
    }

    private static void AssertUsageError(CliResult run, string message)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Equal(message, run.Stderr.TrimEnd());
        Assert.Equal("", run.Stdout);
        Assert.False(run.HasStackTrace, run.ToString());
    }
}
