using RwHarness.Sync;

namespace RwHarness.Locks.Redis;

/// <summary>
/// One holder of a <see cref="RedisRwLock"/> seen through <see cref="IRwLock"/>: it remembers the leases it
/// entered and its Exit calls release only those. A holder that holds nothing cannot release anybody
/// else's lock (<see cref="SynchronizationLockException"/>). Not thread-safe: one holder per logical
/// thread of control. Not reentrant for writes.
/// </summary>
/// <remarks>
/// With <see cref="RedisRwLockOptions.PipelinedRelease"/>, Exit sends the release and returns without waiting
/// for the reply. A release that then reports the lease already lost (or fails) is raised as
/// <see cref="RedisRwLock.ReleaseFailed"/> and kept here: the next Enter/TryEnter, or
/// <see cref="WaitForReleases"/>, throws it (<see cref="RedisLeaseLostException"/> or
/// <see cref="RedisLockUnavailableException"/>) before doing anything else.
/// </remarks>
public sealed class RedisRwLockHolder : IRwLock
{
    private readonly RedisRwLock owner;
    private readonly Stack<RedisReadLease> reads = new();
    private readonly List<Task> inFlight = [];
    private RedisWriteLease? write;
    private Exception? deferredFailure;

    internal RedisRwLockHolder(RedisRwLock owner) => this.owner = owner;

    /// <summary>The fencing token of the write lease this holder holds, if any.</summary>
    public long? FencingToken => write?.FencingToken;

    /// <summary>The write lease this holder holds, if any.</summary>
    public RedisWriteLease? WriteLease => write;

    public int ReadLeases => reads.Count;

    /// <summary>The most recent release this holder sent without waiting (pipelined): true when the lease was still held. A completed true task before any.</summary>
    public Task<bool> LastRelease { get; private set; } = Task.FromResult(true);

    public void EnterRead()
    {
        ThrowDeferredFailure();
        reads.Push(owner.AcquireRead(owner.Options.SyncTimeout));
    }

    public bool TryEnterRead()
    {
        ThrowDeferredFailure();
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

        if (owner.Options.PipelinedRelease)
        {
            Pipeline(lease, "ExitRead");
            return;
        }

        if (!lease.Release())
        {
            throw new RedisLeaseLostException($"read lease on '{owner.Name}' had expired before ExitRead");
        }
    }

    public void EnterWrite()
    {
        ThrowDeferredFailure();
        if (write is not null)
        {
            throw new LockRecursionException($"this holder already holds the write lock '{owner.Name}'");
        }

        write = owner.AcquireWrite(owner.Options.SyncTimeout);
    }

    public bool TryEnterWrite()
    {
        ThrowDeferredFailure();
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
        if (owner.Options.PipelinedRelease)
        {
            Pipeline(lease, "ExitWrite");
            return;
        }

        if (!lease.Release())
        {
            throw new RedisLeaseLostException($"write lease on '{owner.Name}' (fence {lease.FencingToken}) had expired before ExitWrite");
        }
    }

    /// <summary>
    /// Waits until every release this holder sent without waiting has been answered, then throws the first one
    /// that reported its lease lost or failed (once). Returns at once when releases are not pipelined.
    /// </summary>
    public void WaitForReleases() => WaitForReleasesAsync().GetAwaiter().GetResult();

    /// <summary>Asynchronous <see cref="WaitForReleases"/>.</summary>
    public async Task WaitForReleasesAsync()
    {
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        inFlight.Clear();
        ThrowDeferredFailure();
    }

    private void ThrowDeferredFailure()
    {
        if (Volatile.Read(ref deferredFailure) is not null && Interlocked.Exchange(ref deferredFailure, null) is { } failure)
        {
            throw failure;
        }
    }

    private void Pipeline(RedisLease lease, string what)
    {
        // The release script is issued on the connection before ReleaseAsync returns: every later command of this
        // connection (the next acquire included) runs after it on the server. Its answer is observed here.
        var release = lease.ReleaseAsync();
        LastRelease = release;
        inFlight.RemoveAll(static t => t.IsCompleted);
        inFlight.Add(release.ContinueWith(
            static (t, state) =>
            {
                var (holder, lease, what) = ((RedisRwLockHolder, RedisLease, string))state!;
                holder.Observe(t, lease, what);
            },
            (this, lease, what),
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default));
    }

    private void Observe(Task<bool> release, RedisLease lease, string what)
    {
        Exception? failure = null;
        if (release.IsFaulted)
        {
            var e = release.Exception!.GetBaseException();
            failure = e as RedisRwLockException
                ?? new RedisRwLockException($"pipelined release ({what}) of {lease} failed: {e.Message}", e);
        }
        else if (release.IsCanceled)
        {
            failure = new RedisLockUnavailableException($"pipelined release ({what}) of {lease} was cancelled", new TaskCanceledException(release));
        }
        else if (!release.Result)
        {
            failure = new RedisLeaseLostException(
                lease is RedisWriteLease w
                    ? $"write lease on '{owner.Name}' (fence {w.FencingToken}) had expired before {what} (pipelined release)"
                    : $"read lease on '{owner.Name}' had expired before {what} (pipelined release)");
        }

        if (failure is not null)
        {
            Interlocked.CompareExchange(ref deferredFailure, failure, null);
            owner.OnPipelinedReleaseFailed(lease, failure);
        }
    }
}
