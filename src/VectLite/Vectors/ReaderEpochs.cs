using System.Diagnostics;

namespace VectLite.Vectors;

/// <summary>
/// Defers freeing vector memory (arena chunks, mappings of old checkpoint files) until no reader that could have seen it
/// is still running: the grace period a checkpoint needs when it swaps a live arena's RAM rows for mapped ones.
/// </summary>
/// <remarks>
/// <para>How it works (epoch-based reclamation, as Tsavorite's <c>LightEpoch</c> in spirit, with one shared counter per
/// epoch instead of a per-thread table, since a checkpoint retires memory a few times a minute at most):</para>
/// <list type="number">
/// <item><description>A reader <see cref="Enter"/>s the current epoch (one interlocked increment) before it reads any
/// vector and <see cref="Epoch.Exit"/>s it when done. It re-reads the current epoch after the increment and retries if it
/// changed, so a reader counted in an epoch incremented it before that epoch was closed.</description></item>
/// <item><description><see cref="Retire"/> is called after the owner published the memory's replacement (a new chunk
/// directory). It closes the current epoch, opens a new one, and attaches the old memory to the closed epoch. A reader
/// that enters afterwards reads the new directory, so it can never reach the retired memory.</description></item>
/// <item><description>The retired memory of a closed epoch is freed once that epoch and every older one have no readers
/// left: checked by the retiring call and by the last reader out of a closed epoch.</description></item>
/// </list>
/// <para>Thread safety: every member is safe from any thread. A reader must exit the epoch it entered, once; entering and
/// exiting may happen on different threads.</para>
/// </remarks>
internal sealed class ReaderEpochs
{
    private readonly Lock _lock = new();

    /// <summary>Closed epochs whose retired memory is not freed yet, oldest first.</summary>
    private readonly Queue<Epoch> _closed = new();

    private Epoch _current;

    internal ReaderEpochs() => _current = new Epoch(this);

    /// <summary>Closed epochs whose memory is still waiting for readers (for tests and stats).</summary>
    internal int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _closed.Count;
            }
        }
    }

    /// <summary>Enters the current epoch; the caller must <see cref="Epoch.Exit"/> it once, when it no longer reads vectors.</summary>
    internal Epoch Enter()
    {
        while (true)
        {
            Epoch epoch = Volatile.Read(ref _current);
            Interlocked.Increment(ref epoch.Readers);
            if (ReferenceEquals(epoch, Volatile.Read(ref _current)))
            {
                return epoch;
            }
            epoch.Exit(); // closed meanwhile: count in the new one, whose readers see the new memory
        }
    }

    /// <summary>
    /// Frees <paramref name="memory"/> once every reader that entered before this call has exited. The caller has already
    /// published whatever replaces it, so readers entering from now on cannot reach it.
    /// </summary>
    internal void Retire(IDisposable memory)
    {
        lock (_lock)
        {
            Epoch closed = _current;
            closed.Retired.Add(memory);
            Volatile.Write(ref _current, new Epoch(this));
            Volatile.Write(ref closed.IsClosed, true);
            _closed.Enqueue(closed);
        }
        Reclaim();
    }

    /// <summary>Frees everything still retired, whatever the readers: only for an owner that knows none is left (dispose).</summary>
    internal void FreeAll()
    {
        List<IDisposable> all;
        lock (_lock)
        {
            all = [.. _closed.SelectMany(e => e.Retired), .. _current.Retired];
            _closed.Clear();
            _current.Retired.Clear();
        }
        foreach (IDisposable memory in all)
        {
            memory.Dispose();
        }
    }

    /// <summary>Frees the retired memory of the oldest closed epochs that have no readers left.</summary>
    private void Reclaim()
    {
        List<IDisposable>? free = null;
        lock (_lock)
        {
            while (_closed.TryPeek(out Epoch? oldest) && Volatile.Read(ref oldest.Readers) == 0)
            {
                _closed.Dequeue();
                (free ??= []).AddRange(oldest.Retired);
            }
        }
        if (free is not null)
        {
            foreach (IDisposable memory in free)
            {
                memory.Dispose();
            }
        }
    }

    /// <summary>One epoch: the readers in it, and the memory retired when it closed.</summary>
    internal sealed class Epoch
    {
        private readonly ReaderEpochs _owner;

        internal int Readers;
        internal bool IsClosed;
        internal readonly List<IDisposable> Retired = [];

        internal Epoch(ReaderEpochs owner) => _owner = owner;

        /// <summary>Leaves the epoch; the last reader out of a closed epoch frees what waited for it.</summary>
        internal void Exit()
        {
            int left = Interlocked.Decrement(ref Readers);
            Debug.Assert(left >= 0, "A reader exited an epoch it had not entered.");
            if (left == 0 && Volatile.Read(ref IsClosed))
            {
                _owner.Reclaim();
            }
        }
    }
}
