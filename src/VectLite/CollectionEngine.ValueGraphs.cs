using VectLite.Indexing;
using VectLite.Records;

namespace VectLite;

// Value graphs (Indexing/ValueGraphs): the engine's side of their background builder. A search asks for a field's
// value graphs (CollectionState.RequestValueGraphs); the builder thread, started then, inserts the rows and follows the
// writes. Derived data, saved with each checkpoint (ValueGraphFile) and loaded at open; the builder adds what is missing.
internal sealed partial class CollectionEngine
{
    /// <summary>The value-graph builder, started by the first request; null before.</summary>
    private DeferredIndexer? _valueGraphBuilder;
    private bool _valueGraphBuilderStopped;

    /// <summary>Test hook: runs inside each value-graph pass, after a field's inserts and before its mark is raised.</summary>
    internal Action? ValueGraphPassForTests { get; set; }

    /// <summary>
    /// Test hook: asked before each value-graph pass; false skips it, as if nothing waited, until the builder is woken
    /// again. Stops the builder between two passes (a hook inside a pass would hold the lock a checkpoint takes).
    /// </summary>
    internal Func<bool>? ValueGraphPassGateForTests { get; set; }


    /// <summary>
    /// Waits until the value graphs asked for so far cover every record written before the call (see
    /// <see cref="WaitForIndexing"/>). Returns at once when none were asked for.
    /// </summary>
    private void WaitForValueGraphs(CancellationToken cancellationToken)
    {
        CollectionState state = Volatile.Read(ref _state);
        if (!state.HasValueGraphs)
        {
            return;
        }
        int target = state.Published.RowCount;
        DeferredIndexer builder = EnsureValueGraphBuilder() ?? throw new ObjectDisposedException(typeof(Collection).FullName);
        builder.WaitUntil(() =>
        {
            ThrowIfUnusable();
            CollectionState now = Volatile.Read(ref _state);
            if (now != state)
            {
                state = now; // a checkpoint renumbered the rows: wait for the new state's rows as of now
                target = now.Published.RowCount;
            }
            return now.Published.RowCount - now.ValueGraphLag >= target;
        }, error => new CollectionFaultedException(Name, error), cancellationToken);
    }

    /// <summary>Wakes the builder (starting it on first use). Cheap: a flag and a pulse. Any thread.</summary>
    private void NotifyValueGraphBuilder() => EnsureValueGraphBuilder()?.Notify();

    /// <summary>The builder, started if it was not; null once the collection closes.</summary>
    private DeferredIndexer? EnsureValueGraphBuilder() =>
        EnsureWorker(ref _valueGraphBuilder, ref _valueGraphBuilderStopped, "value graphs", RunValueGraphPass);

    /// <summary>One pass on the builder's thread, on the current state.</summary>
    private int RunValueGraphPass() => ValueGraphPassGateForTests is { } gate && !gate()
        ? 0
        : RunOnCurrentState(state => state.BuildValueGraphsPass(s => Volatile.Read(ref _state) == s, ValueGraphPassForTests));
}
