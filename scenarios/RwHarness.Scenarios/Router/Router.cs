using RwHarness.Sync;

namespace RwHarness.Scenarios.Router;

/// <summary>
/// The Router of seed 000, ported: a hash table associating sockets with peers, guarded by a
/// reader/writer lock. Query takes the read side; Add and Delete take the write side ("a blocked Lock
/// call excludes new readers from acquiring the lock"). The table is a plain Dictionary with no locking
/// of its own: the lock is all that keeps it consistent.
/// </summary>
/// <remarks>
/// Each table access starts with a visible operation on <see cref="version"/>, so the engine can switch
/// threads inside every critical section. Add replaces an existing peer in two steps, as a router that
/// drops the old connection does: remove the old entry, close its connection (a visible store), insert the
/// new one. Under a working lock no reader sees the gap; a reader that gets in anyway finds the socket
/// missing although it was never deleted, which the linearizability check reports.
/// </remarks>
public sealed class Router<TSync>(IRwLock rw)
    where TSync : struct, ISync
{
    private readonly Dictionary<string, Peer> table = new(StringComparer.Ordinal);

    /// <summary>Bumped by every write; loaded by every read. Go: none (the map itself); here the visible access.</summary>
    private int version;

    public IRwLock Lock => rw;

    /// <summary>Go: <c>func (r *Router) Query(socket Socket) *Peer</c> — the peer filed under <paramref name="socket"/>, or null.</summary>
    public Peer? Query(string socket)
    {
        rw.EnterRead();
        // Do not write while the table is read: the write side waits until every read side is released.
        TSync.Load(ref version, "router.version");
        var peer = table.TryGetValue(socket, out var p) ? p : null;
        rw.ExitRead();
        return peer;
    }

    /// <summary>Go: <c>func (r *Router) Add(peer *Peer)</c> — files <paramref name="peer"/>, replacing (and closing) any peer on its socket.</summary>
    public void Add(Peer peer)
    {
        rw.EnterWrite();
        var v = TSync.Load(ref version, "router.version");
        if (table.Remove(peer.Socket, out var old))
        {
            // The socket has no entry until the insert below: only the write lock hides this from readers.
            TSync.Store(ref old.closed, 1, "peer.closed");
        }
        table[peer.Socket] = peer;
        TSync.Store(ref version, v + 1, "router.version");
        rw.ExitWrite();
    }

    /// <summary>Go: <c>func (r *Router) Delete(peer *Peer)</c> — removes whatever peer is filed under <paramref name="socket"/> and closes it.</summary>
    public void Delete(string socket)
    {
        rw.EnterWrite();
        var v = TSync.Load(ref version, "router.version");
        if (table.Remove(socket, out var old))
        {
            TSync.Store(ref old.closed, 1, "peer.closed");
        }
        TSync.Store(ref version, v + 1, "router.version");
        rw.ExitWrite();
    }

    /// <summary>The table as <c>{a=p1, b=p3} v=2</c>, for traces.</summary>
    public string Describe() =>
        "{" + string.Join(", ", table.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value.Name}")) + $"}} v={version}";
}
