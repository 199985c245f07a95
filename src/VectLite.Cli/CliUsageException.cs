namespace VectLite.Cli;

/// <summary>The command line asked for something impossible (a path that is not a database): exit code 2, nothing touched.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
