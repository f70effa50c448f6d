using RwHarness.Sync;

namespace RwHarness.Locks.Redis;

/// <summary>
/// One holder of a <see cref="RedisRwLock"/> seen through <see cref="IRwLock"/>: it remembers the leases it
/// entered and its Exit calls release only those. A holder that holds nothing cannot release anybody
/// else's lock (<see cref="SynchronizationLockException"/>). Not thread-safe: one holder per logical
/// thread of control. Not reentrant for writes.
/// </summary>
public sealed class RedisRwLockHolder : IRwLock
{
    private readonly RedisRwLock owner;
    private readonly Stack<RedisReadLease> reads = new();
    private RedisWriteLease? write;

    internal RedisRwLockHolder(RedisRwLock owner) => this.owner = owner;

    /// <summary>The fencing token of the write lease this holder holds, if any.</summary>
    public long? FencingToken => write?.FencingToken;

    /// <summary>The write lease this holder holds, if any.</summary>
    public RedisWriteLease? WriteLease => write;

    public int ReadLeases => reads.Count;

    public void EnterRead() => reads.Push(owner.AcquireRead(owner.Options.SyncTimeout));

    public bool TryEnterRead()
    {
        var lease = owner.TryAcquireRead();
        if (lease is null)
        {
            return false;
        }

        reads.Push(lease);
        return true;
    }

    public void ExitRead()
    {
        if (!reads.TryPop(out var lease))
        {
            throw new SynchronizationLockException($"ExitRead on lock '{owner.Name}' by a holder that holds no read lease");
        }

        if (!lease.Release())
        {
            throw new RedisLeaseLostException($"read lease on '{owner.Name}' had expired before ExitRead");
        }
    }

    public void EnterWrite()
    {
        if (write is not null)
        {
            throw new LockRecursionException($"this holder already holds the write lock '{owner.Name}'");
        }

        write = owner.AcquireWrite(owner.Options.SyncTimeout);
    }

    public bool TryEnterWrite()
    {
        if (write is not null)
        {
            throw new LockRecursionException($"this holder already holds the write lock '{owner.Name}'");
        }

        write = owner.TryAcquireWrite();
        return write is not null;
    }

    public void ExitWrite()
    {
        var lease = write ?? throw new SynchronizationLockException($"ExitWrite on lock '{owner.Name}' by a holder that does not hold the write lock");
        write = null;
        if (!lease.Release())
        {
            throw new RedisLeaseLostException($"write lease on '{owner.Name}' (fence {lease.FencingToken}) had expired before ExitWrite");
        }
    }
}
