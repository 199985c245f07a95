namespace VectLite.Cli;

/// <summary>
/// The command was well formed but could not be carried out for a reason outside the database (a Qdrant server that
/// cannot be reached or refuses the API key): exit code 1, one line on stderr.
/// </summary>
internal sealed class CliFailureException(string message) : Exception(message);
