namespace VectLite;

/// <summary>
/// The engines this process has open, one slot per database directory: every <see cref="Database.Open"/> of a path
/// takes a reference on the slot's engine (opening it when there is none), and the last handle's dispose closes it.
/// </summary>
/// <remarks>
/// <para>Why: the writer lock is per open file, so a second engine on the same directory in the same process would
/// lock itself out, and two engines would each load the data. Sharing one engine is how SQLite's shared cache and
/// LiteDB's single instance behave.</para>
/// <para>Each slot has a gate that serialises opening and closing its engines, so an open never races the close of
/// the last handle (it either joins the engine before the close starts, or opens anew after the lock is released).
/// Releasing a handle that is not the last takes no gate. Opens of different paths do not wait for each other.</para>
/// <para>A slot holds at most one writer engine, which every open joins, read-only ones as read-only views; and, when
/// no writer is open here, a read-only engine that read-only opens join while it is current
/// (<see cref="DatabaseEngine.IsCurrent"/>): one that another process has since written past is left to the handles
/// that hold it, and a new one takes its place.</para>
/// </remarks>
internal static class EngineRegistry
{
    private static readonly Lock s_lock = new();
    private static readonly Dictionary<string, Slot> s_slots = new(DatabasePathKey.Comparer);

    /// <summary>
    /// Returns an engine for a new handle on <paramref name="fullPath"/>: the shared one when this process has it
    /// open in a mode that serves the request, or a newly opened one.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled while waiting for another open or close of the same path.</exception>
    public static DatabaseEngine Acquire(string fullPath, DatabaseOptions options, CancellationToken cancellationToken)
    {
        Slot slot = Enter(DatabasePathKey.Of(fullPath));
        try
        {
            slot.Gate.Wait(cancellationToken);
            try
            {
                return JoinOrOpen(slot, fullPath, options, cancellationToken);
            }
            finally
            {
                slot.Gate.Release();
            }
        }
        finally
        {
            Leave(slot);
        }
    }

    /// <summary>As <see cref="Acquire"/>, waiting for the slot's gate without blocking a thread.</summary>
    public static async Task<DatabaseEngine> AcquireAsync(string fullPath, DatabaseOptions options, CancellationToken cancellationToken)
    {
        Slot slot = Enter(DatabasePathKey.Of(fullPath));
        try
        {
            await slot.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return JoinOrOpen(slot, fullPath, options, cancellationToken);
            }
            finally
            {
                slot.Gate.Release();
            }
        }
        finally
        {
            Leave(slot);
        }
    }

    /// <summary>
    /// Releases a handle's reference; the last one closes the engine (syncing its logs, running due close
    /// checkpoints, releasing the lock).
    /// </summary>
    /// <param name="engine">The handle's engine.</param>
    /// <param name="closeCheckpoints">Run the close checkpoints that are due, if this closes the engine.</param>
    /// <exception cref="StorageException">The close could not sync a log; the engine is closed all the same.</exception>
    public static void Release(DatabaseEngine engine, bool closeCheckpoints = true)
    {
        if (engine.RemoveReference() > 0)
        {
            return;
        }
        if (engine.Slot is not { } slot)
        {
            engine.CloseIfUnused(closeCheckpoints); // a private engine (Database.Recover, tests)
            return;
        }
        ReleasingForTests?.Invoke(engine);
        // The gate keeps an open of the same path from joining an engine that is closing, or from trying the lock
        // before this close released it.
        slot.Gate.Wait();
        try
        {
            engine.CloseIfUnused(closeCheckpoints); // does nothing when an open joined it while this release waited for the gate
        }
        finally
        {
            if (engine.IsClosed)
            {
                if (slot.Writer == engine)
                {
                    Volatile.Write(ref slot.Writer, null);
                }
                if (slot.Reader == engine)
                {
                    Volatile.Write(ref slot.Reader, null);
                }
            }
            slot.Gate.Release();
            lock (s_lock)
            {
                RemoveIfUnused(slot);
            }
        }
    }

    /// <summary>
    /// Test hook: runs in <see cref="Release"/> after the last reference was dropped and before the gate is taken to
    /// close, with the engine, so a test can open the same path at exactly that moment.
    /// </summary>
    internal static Action<DatabaseEngine>? ReleasingForTests { get; set; }

    /// <summary>Whether this process has a writer engine open on <paramref name="fullPath"/>.</summary>
    public static bool HasWriter(string fullPath)
    {
        lock (s_lock)
        {
            return s_slots.TryGetValue(DatabasePathKey.Of(fullPath), out Slot? slot) && Volatile.Read(ref slot.Writer) is not null;
        }
    }

    /// <summary>Test view: the engines open on <paramref name="fullPath"/> (writer, reader), or nulls.</summary>
    internal static (DatabaseEngine? Writer, DatabaseEngine? Reader) EnginesForTests(string fullPath)
    {
        lock (s_lock)
        {
            return s_slots.TryGetValue(DatabasePathKey.Of(fullPath), out Slot? slot) ? (slot.Writer, slot.Reader) : (null, null);
        }
    }

    /// <summary>Called under the slot's gate.</summary>
    private static DatabaseEngine JoinOrOpen(Slot slot, string fullPath, DatabaseOptions options, CancellationToken cancellationToken)
    {
        if (slot.Writer is { } writer && writer.TryAddReference())
        {
            return writer; // every open joins the writer: read-only ones get a read-only view of it
        }
        if (options.ReadOnly)
        {
            if (slot.Reader is { } reader && reader.IsCurrent() && reader.TryAddReference())
            {
                return reader;
            }
            // The engine it replaces (if any) stays with its handles and closes with the last of them.
            DatabaseEngine opened = DatabaseEngine.Open(fullPath, options, static () => false, slot, cancellationToken);
            Volatile.Write(ref slot.Reader, opened);
            return opened;
        }
        // A real writer open, whatever read-only engine is open: its handles keep the state they read.
        DatabaseEngine created = DatabaseEngine.Open(fullPath, options, static () => false, slot, cancellationToken);
        Volatile.Write(ref slot.Writer, created);
        return created;
    }

    private static Slot Enter(string key)
    {
        lock (s_lock)
        {
            if (!s_slots.TryGetValue(key, out Slot? slot))
            {
                slot = new Slot(key);
                s_slots.Add(key, slot);
            }
            slot.Users++;
            return slot;
        }
    }

    private static void Leave(Slot slot)
    {
        lock (s_lock)
        {
            slot.Users--;
            RemoveIfUnused(slot);
        }
    }

    /// <summary>Forgets a slot with no engine and nobody waiting on it. Called under <see cref="s_lock"/>.</summary>
    private static void RemoveIfUnused(Slot slot)
    {
        if (slot.Users == 0 && Volatile.Read(ref slot.Writer) is null && Volatile.Read(ref slot.Reader) is null
            && s_slots.TryGetValue(slot.Key, out Slot? current) && current == slot)
        {
            s_slots.Remove(slot.Key);
        }
    }

    /// <summary>One database path's engines and the gate that serialises opening and closing them.</summary>
    internal sealed class Slot(string key)
    {
        public string Key { get; } = key;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        /// <summary>Threads inside <see cref="Acquire"/> for this slot (changed under <see cref="s_lock"/>).</summary>
        public int Users;

        /// <summary>The writer engine; written under <see cref="Gate"/>.</summary>
        public DatabaseEngine? Writer;

        /// <summary>The read-only engine new read-only opens join; written under <see cref="Gate"/>.</summary>
        public DatabaseEngine? Reader;
    }
}
