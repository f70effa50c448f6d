using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using RwHarness.Sync;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis;

/// <summary>Snapshot of a lock's server-side state (expired members counted out).</summary>
public sealed record RedisRwLockState(bool WriterHeld, long WriterLeaseLeftMs, long Readers, long WriterIntents, long LastFencingToken, long WaitingReaders = 0, long WaitingWriters = 0)
{
    public override string ToString() =>
        $"writer={(WriterHeld ? $"held({WriterLeaseLeftMs}ms)" : "free")} readers={Readers} intents={WriterIntents} fence={LastFencingToken} waiting={WaitingReaders}r/{WaitingWriters}w";
}

/// <summary>A release sent without waiting (<see cref="RedisRwLockOptions.PipelinedRelease"/>) reported its lease lost, or failed.</summary>
public sealed class RedisReleaseFailedEventArgs : EventArgs
{
    internal RedisReleaseFailedEventArgs(RedisLease lease, Exception error)
    {
        Lease = lease;
        Error = error;
    }

    /// <summary>The lease whose release failed.</summary>
    public RedisLease Lease { get; }

    /// <summary>
    /// <see cref="RedisLeaseLostException"/> (the lease had expired or been taken over before the release),
    /// <see cref="RedisLockUnavailableException"/> (Redis could not be reached), or another <see cref="RedisRwLockException"/> wrapping an unexpected error.
    /// </summary>
    public Exception Error { get; }
}

/// <summary>
/// A distributed reader/writer lock on one Redis node, writer-preferring by default.
/// </summary>
/// <remarks>
/// <para>Keys (hash-tagged so they share a slot): <c>PREFIX:{NAME}:writer</c> holds the writer's token
/// with its lease as PX; <c>:readers</c> is a sorted set of reader tokens scored by lease expiry;
/// <c>:intents</c> a sorted set of waiting writers scored by intent expiry; <c>:fence</c> the fencing
/// counter. Every operation is one Lua script (see <c>Lua/*.lua</c>), sent as one EVALSHA: exactly one
/// round trip per acquire attempt and per release. Expired readers and intents are pruned inside every
/// script, with the server's clock.</para>
/// <para>Waiters register themselves (<c>:rwait</c>, <c>:wwait</c>) and sleep until a release wakes them on
/// <c>PREFIX:{NAME}:released</c> or a jittered, exponentially growing backoff (capped by
/// <see cref="RedisRwLockOptions.MaxBackoff"/> and by the blocker's remaining lease) runs out, whichever is
/// first. A release publishes nothing when nobody waits, names one writer when a writer is next, and
/// wakes everybody (<c>*</c>) only when readers are next.</para>
/// <para>Two surfaces: leases (<see cref="AcquireReadAsync"/>, <see cref="AcquireWriteAsync"/>, their
/// Try and synchronous forms), each acquisition an object with its own token; and
/// <see cref="IRwLock"/>, whose Enter/Exit pairs are tracked per thread (a thread can only exit what it
/// entered; use <see cref="CreateHolder"/> for an explicit holder that is not tied to a thread).</para>
/// </remarks>
public sealed class RedisRwLock : IRwLock, IDescribeState, IDisposable
{
    private readonly IConnectionMultiplexer redis;
    private readonly IDatabase db;
    private readonly RedisChannel channel;
    private readonly RedisValue channelValue;
    private readonly RedisKey[] readKeys;
    private readonly RedisKey[] writeKeys;
    private readonly RedisKey[] readReleaseKeys;
    private readonly RedisKey[] writeReleaseKeys;
    private readonly RedisKey[] renewKeys;
    private readonly RedisKey[] intentKeys;
    private readonly RedisKey[] inspectKeys;
    private readonly RedisValue waitArg;
    private readonly RedisValue wakeWindowArg;
    private readonly RedisKey wokeKey;
    private readonly ConcurrentDictionary<string, Waiter> waiters = new(StringComparer.Ordinal);
    private readonly RedisValue modeArg;
    private readonly RedisValue leaseArg;
    private readonly RedisValue intentArg;
    private readonly ThreadLocal<RedisRwLockHolder> perThread;
    private readonly SemaphoreSlim initGate = new(1, 1);
    private volatile bool initialized;
    private int disposed;

    public RedisRwLock(IConnectionMultiplexer redis, string name, RedisRwLockOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Options = options ?? new RedisRwLockOptions();
        Options.Validate();
        this.redis = redis;
        Name = name;
        db = redis.GetDatabase(Options.Database);
        var root = $"{Options.KeyPrefix}:{{{name}}}";
        WriterKey = root + ":writer";
        ReadersKey = root + ":readers";
        IntentsKey = root + ":intents";
        FenceKey = root + ":fence";
        wokeKey = root + ":woke";
        WaitingReadersKey = root + ":rwait";
        WaitingWritersKey = root + ":wwait";
        channelValue = root + ":released";
        channel = RedisChannel.Literal(root + ":released");
        readKeys = [WriterKey, ReadersKey, IntentsKey, WaitingReadersKey];
        writeKeys = [WriterKey, ReadersKey, IntentsKey, FenceKey, WaitingWritersKey, wokeKey];
        readReleaseKeys = [ReadersKey, WaitingWritersKey, wokeKey];
        writeReleaseKeys = [WriterKey, WaitingReadersKey, WaitingWritersKey, wokeKey];
        renewKeys = [WriterKey, ReadersKey];
        intentKeys = [IntentsKey, WaitingReadersKey, WaitingWritersKey];
        inspectKeys = [WriterKey, ReadersKey, IntentsKey, FenceKey, WaitingReadersKey, WaitingWritersKey];
        modeArg = Options.Mode == RedisRwLockMode.WriterPreferring ? "w" : "r";
        leaseArg = (long)Options.Lease.TotalMilliseconds;
        intentArg = (long)Options.EffectiveWriterIntent.TotalMilliseconds;
        waitArg = (long)Options.EffectiveWaitRegistration.TotalMilliseconds;
        wakeWindowArg = Math.Max(1L, (long)Options.MinBackoff.TotalMilliseconds);
        perThread = new ThreadLocal<RedisRwLockHolder>(() => new RedisRwLockHolder(this));
    }

    public string Name { get; }

    public RedisRwLockOptions Options { get; }

    public RedisKey WriterKey { get; }

    public RedisKey ReadersKey { get; }

    public RedisKey IntentsKey { get; }

    public RedisKey FenceKey { get; }

    /// <summary>Sorted set of waiting readers (token → registration expiry): who a release wakes.</summary>
    public RedisKey WaitingReadersKey { get; }

    /// <summary>Sorted set of waiting writers (token → registration expiry): who a release wakes.</summary>
    public RedisKey WaitingWritersKey { get; }

    /// <summary>Number of release messages this instance has received (diagnostics: proves waiters are woken by pub/sub).</summary>
    public long WakeMessages => Interlocked.Read(ref wakeMessages);

    /// <summary>Number of local waiters those messages woke (a message naming another client's waiter wakes nobody here).</summary>
    public long WokenWaiters => Interlocked.Read(ref wokenWaiters);

    /// <summary>Number of pipelined releases (<see cref="RedisRwLockOptions.PipelinedRelease"/>) that reported their lease lost or failed.</summary>
    public long FailedPipelinedReleases => Interlocked.Read(ref failedPipelinedReleases);

    /// <summary>
    /// Raised (on a thread-pool thread) when a release sent without waiting (<see cref="RedisRwLockOptions.PipelinedRelease"/>)
    /// reports that its lease had already been lost, or fails. The holder that sent it also throws the error from its
    /// next Enter or <see cref="RedisRwLockHolder.WaitForReleases"/>. Handlers must not throw.
    /// </summary>
    public event EventHandler<RedisReleaseFailedEventArgs>? ReleaseFailed;

    private long wakeMessages;
    private long wokenWaiters;
    private long failedPipelinedReleases;

    /// <summary>
    /// Acquires a read lease, waiting up to <paramref name="timeout"/> (infinite when null).
    /// Throws <see cref="RedisLockTimeoutException"/>, <see cref="OperationCanceledException"/>, or
    /// <see cref="RedisLockUnavailableException"/> when Redis cannot be reached. <paramref name="cancellationToken"/>
    /// also stops the lease's renewal if cancelled while it is held.
    /// </summary>
    public async Task<RedisReadLease> AcquireReadAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (RedisReadLease)(await AcquireCoreAsync(RedisLeaseKind.Read, timeout ?? Timeout.InfiniteTimeSpan, singleAttempt: false, cancellationToken).ConfigureAwait(false))!;

    /// <summary>
    /// Acquires the write lock, waiting up to <paramref name="timeout"/> (infinite when null); the lease carries a
    /// fresh <see cref="RedisWriteLease.FencingToken"/>. Same errors as <see cref="AcquireReadAsync"/>.
    /// </summary>
    public async Task<RedisWriteLease> AcquireWriteAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        (RedisWriteLease)(await AcquireCoreAsync(RedisLeaseKind.Write, timeout ?? Timeout.InfiniteTimeSpan, singleAttempt: false, cancellationToken).ConfigureAwait(false))!;

    /// <summary>One attempt (one round trip): a read lease, or null when the lock is not available now.</summary>
    public async Task<RedisReadLease?> TryAcquireReadAsync(CancellationToken cancellationToken = default) =>
        (RedisReadLease?)await AcquireCoreAsync(RedisLeaseKind.Read, TimeSpan.Zero, singleAttempt: true, cancellationToken).ConfigureAwait(false);

    /// <summary>One attempt (one round trip): a write lease, or null. A failed try leaves no writer intent behind.</summary>
    public async Task<RedisWriteLease?> TryAcquireWriteAsync(CancellationToken cancellationToken = default) =>
        (RedisWriteLease?)await AcquireCoreAsync(RedisLeaseKind.Write, TimeSpan.Zero, singleAttempt: true, cancellationToken).ConfigureAwait(false);

    /// <summary>Synchronous <see cref="AcquireReadAsync"/>.</summary>
    public RedisReadLease AcquireRead(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireReadAsync(timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="AcquireWriteAsync"/>.</summary>
    public RedisWriteLease AcquireWrite(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        AcquireWriteAsync(timeout, cancellationToken).GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="TryAcquireReadAsync"/>.</summary>
    public RedisReadLease? TryAcquireRead() => TryAcquireReadAsync().GetAwaiter().GetResult();

    /// <summary>Synchronous <see cref="TryAcquireWriteAsync"/>.</summary>
    public RedisWriteLease? TryAcquireWrite() => TryAcquireWriteAsync().GetAwaiter().GetResult();

    /// <summary>
    /// Low-level release by token, one round trip; what <see cref="RedisLease.ReleaseAsync"/> calls. Returns
    /// false, changing nothing, when <paramref name="token"/> does not hold that side of the lock: another
    /// holder's lock is never released by a token that is not its own. The command is issued (written, or queued
    /// in order, on the connection) before this method returns; the task completes with the server's reply.
    /// </summary>
    public async Task<bool> ReleaseAsync(RedisLeaseKind kind, string token)
    {
        var result = kind == RedisLeaseKind.Write
            ? await EvalAsync(RedisScripts.WriteRelease, writeReleaseKeys, [token, channelValue, modeArg, wakeWindowArg], "write release").ConfigureAwait(false)
            : await EvalAsync(RedisScripts.ReadRelease, readReleaseKeys, [token, channelValue, wakeWindowArg], "read release").ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>Server-side snapshot of the lock (one round trip).</summary>
    public async Task<RedisRwLockState> InspectAsync()
    {
        var r = (RedisResult[])(await EvalAsync(RedisScripts.Inspect, inspectKeys, [], "inspect").ConfigureAwait(false))!;
        return new RedisRwLockState((long)r[0] == 1, (long)r[1], (long)r[2], (long)r[3], long.Parse((string)r[4]!, System.Globalization.CultureInfo.InvariantCulture), (long)r[5], (long)r[6]);
    }

    /// <summary>A new explicit holder: an <see cref="IRwLock"/> view whose Exit calls release only what this holder entered.</summary>
    public RedisRwLockHolder CreateHolder() => new(this);

    // IRwLock, tracked per thread: the calling thread's own holder.
    public void EnterRead() => perThread.Value!.EnterRead();

    public bool TryEnterRead() => perThread.Value!.TryEnterRead();

    public void ExitRead() => perThread.Value!.ExitRead();

    public void EnterWrite() => perThread.Value!.EnterWrite();

    public bool TryEnterWrite() => perThread.Value!.TryEnterWrite();

    public void ExitWrite() => perThread.Value!.ExitWrite();

    /// <summary>The calling thread's <see cref="RedisRwLockHolder.WaitForReleases"/>: with pipelined releases, waits for their answers and throws the first failure.</summary>
    public void WaitForReleases() => perThread.Value!.WaitForReleases();

    public string DescribeState()
    {
        try
        {
            return InspectAsync().GetAwaiter().GetResult().ToString();
        }
        catch (RedisLockUnavailableException e)
        {
            return "unavailable: " + e.Message;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (initialized)
        {
            try
            {
                redis.GetSubscriber().Unsubscribe(channel, OnReleased);
            }
            catch (RedisException)
            {
            }
        }

        perThread.Dispose();
        initGate.Dispose();
    }

    internal async Task<bool> RenewAsync(RedisLeaseKind kind, string token)
    {
        var result = await EvalAsync(RedisScripts.Renew, renewKeys, [kind == RedisLeaseKind.Write ? "w" : "r", token, leaseArg], "renewal").ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>Called by a holder's pipelined release when it reported the lease lost or failed.</summary>
    internal void OnPipelinedReleaseFailed(RedisLease lease, Exception error)
    {
        Interlocked.Increment(ref failedPipelinedReleases);
        ReleaseFailed?.Invoke(this, new RedisReleaseFailedEventArgs(lease, error));
    }

    internal static bool IsUnavailable(Exception e) =>
        e is RedisConnectionException or RedisTimeoutException or SocketException or IOException
        || (e is RedisServerException s && (s.Message.StartsWith("LOADING", StringComparison.Ordinal) || s.Message.StartsWith("BUSY", StringComparison.Ordinal) || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task<RedisResult> EvalAsync(RedisScript script, RedisKey[] keys, RedisValue[] args, string what)
    {
        try
        {
            return await script.EvaluateAsync(db, keys, args).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new RedisLockUnavailableException($"Redis unavailable during {what} of lock '{Name}': {e.Message}", e);
        }
    }

    private void OnReleased(RedisChannel from, RedisValue message)
    {
        Interlocked.Increment(ref wakeMessages);
        var text = (string?)message;
        if (text == "*")
        {
            // Readers are next (or a waiter gave up): wake every waiter of this instance.
            foreach (var w in waiters.Values)
            {
                Wake(w);
            }
        }
        else if (text is not null && waiters.TryGetValue(text, out var named))
        {
            // One writer is next: only it retries at once; everybody else keeps backing off.
            Wake(named);
        }

        void Wake(Waiter w)
        {
            Interlocked.Increment(ref wokenWaiters);
            Interlocked.Exchange(ref w.Signal, NewSignal()).TrySetResult();
        }
    }

    private async Task EnsureInitializedAsync()
    {
        if (initialized)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref disposed) != 0, this);
        await initGate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (initialized)
            {
                return;
            }

            // A multiplexer made with AbortOnConnectFail off may return from Connect before its interactive and
            // subscription links are up, and with a fail-fast backlog SUBSCRIBE would then fail at once ("No
            // connection is active/available", seen on a loaded CI machine): give the links up to the
            // multiplexer's own timeout. If they are still down, the SUBSCRIBE below reports it.
            await RedisLinks.WaitUntilUpAsync(redis, channel, TimeSpan.FromMilliseconds(redis.TimeoutMilliseconds), CancellationToken.None).ConfigureAwait(false);

            // Subscribe once per lock instance, and load every hot-path script once, so that each later
            // attempt and release is exactly one EVALSHA.
            await redis.GetSubscriber().SubscribeAsync(channel, OnReleased).ConfigureAwait(false);
            foreach (var script in RedisScripts.LockScripts)
            {
                await script.LoadAsync(redis).ConfigureAwait(false);
            }

            initialized = true;
        }
        catch (Exception e) when (IsUnavailable(e))
        {
            throw new RedisLockUnavailableException($"Redis unavailable while connecting lock '{Name}': {e.Message}", e);
        }
        finally
        {
            initGate.Release();
        }
    }

    private async Task<RedisLease?> AcquireCoreAsync(RedisLeaseKind kind, TimeSpan timeout, bool singleAttempt, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        await EnsureInitializedAsync().ConfigureAwait(false);
        var token = Guid.NewGuid().ToString("N");
        var started = Stopwatch.GetTimestamp();
        var backoff = Options.MinBackoff;
        var registered = false;
        var write = kind == RedisLeaseKind.Write;
        RedisValue[] args = write
            ? [token, leaseArg, singleAttempt ? 0 : intentArg, modeArg, singleAttempt ? 0 : waitArg, "0"]
            : [token, leaseArg, modeArg, singleAttempt ? 0 : waitArg, "0"];

        // Known locally before the first attempt, so a release that names this waiter right after the
        // attempt registered it on the server finds it.
        var waiter = singleAttempt ? null : new Waiter();
        if (waiter is not null)
        {
            waiters[token] = waiter;
        }

        var done = false;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                // Capture the wake-up signal before the attempt: a release published after our attempt
                // read the state completes this very task, so no wake-up is lost.
                var wake = waiter is null ? Task.CompletedTask : Volatile.Read(ref waiter.Signal).Task;
                var attemptStart = Stopwatch.GetTimestamp();
                var r = (RedisResult[])(await EvalAsync(
                    write ? RedisScripts.WriteAcquire : RedisScripts.ReadAcquire,
                    write ? writeKeys : readKeys,
                    args,
                    write ? "write acquire" : "read acquire").ConfigureAwait(false))!;
                if ((long)r[0] == 1)
                {
                    done = true;
                    if (ct.IsCancellationRequested)
                    {
                        await ReleaseQuietlyAsync(kind, token).ConfigureAwait(false);
                        ct.ThrowIfCancellationRequested();
                    }

                    return write
                        ? new RedisWriteLease(this, token, (long)r[1], attemptStart, ct)
                        : new RedisReadLease(this, token, attemptStart, ct);
                }

                if (singleAttempt)
                {
                    done = true;
                    return null;
                }

                if (!registered)
                {
                    // The refused attempt registered this waiter (and, writer-preferring, its intent):
                    // a later grant removes the registration in the same script.
                    registered = true;
                    args[^1] = "1";
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                if (timeout != Timeout.InfiniteTimeSpan && elapsed >= timeout)
                {
                    throw new RedisLockTimeoutException($"{(write ? "write" : "read")} lock '{Name}' not acquired within {timeout.TotalMilliseconds:0} ms ({attempt} attempts)");
                }

                // Full jitter over [backoff/2, backoff], never past the blocker's lease nor the timeout.
                var sleepMs = (backoff.TotalMilliseconds / 2) + (Random.Shared.NextDouble() * backoff.TotalMilliseconds / 2);
                sleepMs = Math.Min(sleepMs, (long)r[1] + 1);
                if (timeout != Timeout.InfiniteTimeSpan)
                {
                    sleepMs = Math.Min(sleepMs, (timeout - elapsed).TotalMilliseconds);
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Options.MaxBackoff.Ticks));
                await WaitForWakeAsync(wake, TimeSpan.FromMilliseconds(Math.Max(1, sleepMs)), ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (waiter is not null)
            {
                waiters.TryRemove(token, out _);
            }

            if (!done && registered)
            {
                // Giving up (timeout, cancellation, error): withdraw our intent and registration now rather
                // than let them hold readers back, or absorb wake-ups, until they expire.
                try
                {
                    await EvalAsync(RedisScripts.IntentCancel, intentKeys, [token, channelValue], "intent cancel").ConfigureAwait(false);
                }
                catch (RedisLockUnavailableException)
                {
                }
            }
        }
    }

    private async Task ReleaseQuietlyAsync(RedisLeaseKind kind, string token)
    {
        try
        {
            await ReleaseAsync(kind, token).ConfigureAwait(false);
        }
        catch (RedisLockUnavailableException)
        {
        }
    }

    private sealed class Waiter
    {
        public TaskCompletionSource Signal = NewSignal();
    }

    private static async Task WaitForWakeAsync(Task wake, TimeSpan sleep, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(sleep);
        try
        {
            await wake.WaitAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ct.ThrowIfCancellationRequested();
        }
    }
}
