using System.CommandLine;

namespace VectLite.Cli.Qdrant;

/// <summary>The options <c>export --to-qdrant</c> and <c>import --from-qdrant</c> share.</summary>
internal sealed class QdrantOptions
{
    private QdrantOptions(string collectionDescription)
    {
        Collection = new Option<string?>("--collection") { Description = collectionDescription };
    }

    public Option<string?> ApiKey { get; } = new("--api-key") { Description = $"The Qdrant API key (default: ${QdrantConnection.ApiKeyVariable}, if set)." };

    public Option<string?> Collection { get; }

    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Points per batch (one request, one atomic write).", DefaultValueFactory = _ => 256 };

    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue an interrupted copy from its checkpoint file." };

    public Option<string?> Checkpoint { get; } = new("--checkpoint")
    {
        Description = "The checkpoint file that makes the copy resumable (default: vectlite-to-qdrant-SOURCE-TARGET.checkpoint.json or vectlite-from-qdrant-..., in the current directory); deleted when the copy completes.",
    };

    public static QdrantOptions Create(string collectionDescription) => new(collectionDescription);

    /// <summary>The batch size, 1 to 10,000 (Qdrant's and <c>vectlite serve</c>'s batch limits are well above the default).</summary>
    public int CheckedBatchSize(ParseResult result)
    {
        int size = result.GetValue(BatchSize);
        return size is >= 1 and <= 10_000 ? size : throw new CliUsageException($"--batch-size must be between 1 and 10,000, got {size}.");
    }

    /// <summary>Refuses the Qdrant-only options when the command is not copying to or from Qdrant.</summary>
    public void RefuseWithout(ParseResult result, string option)
    {
        foreach (Option given in new Option[] { ApiKey, Collection, Resume, Checkpoint })
        {
            if (result.GetResult(given) is { Implicit: false })
            {
                throw new CliUsageException($"{given.Name} goes with {option}.");
            }
        }
    }
}
