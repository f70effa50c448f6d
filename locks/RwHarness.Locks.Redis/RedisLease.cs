using System.Diagnostics;

namespace RwHarness.Locks.Redis;

/// <summary>Which side of the lock a lease holds.</summary>
public enum RedisLeaseKind
{
    Read,
    Write,
}

/// <summary>
/// One acquisition of a <see cref="RedisRwLock"/>: its own random token, its validity, its background
/// renewal. Only this object can release what it acquired. Dispose (or <see cref="ReleaseAsync"/>)
/// gives it back; releasing twice is a no-op that returns false.
/// </summary>
/// <remarks>
/// Renewal runs every <see cref="RedisRwLockOptions.RenewEvery"/> until the lease is released, the
/// server reports the lease gone, or the acquisition's <see cref="CancellationToken"/> is cancelled
/// (then the lease simply runs out unless released). <see cref="LostToken"/> is cancelled when the
/// lease is lost: the server refused a renewal, or the local validity elapsed with no successful
/// renewal. Work done after that must be fenced (see <see cref="RedisWriteLease.FencingToken"/>).
/// </remarks>
public abstract class RedisLease : IAsyncDisposable, IDisposable
{
    private readonly RedisRwLock owner;
    private readonly long leaseTicks;
    private readonly CancellationTokenRegistration callerRegistration;
    private readonly object gate = new();
    private Timer? renewTimer;
    private CancellationTokenSource? lost;
    private long validUntilTicks;
    private int released;
    private volatile bool isLost;
    private volatile bool renewing = true;

    private protected RedisLease(RedisRwLock owner, string token, long acquireStartTimestamp, CancellationToken callerToken)
    {
        this.owner = owner;
        Token = token;
        leaseTicks = (long)(owner.Options.Lease.TotalSeconds * Stopwatch.Frequency);
        validUntilTicks = acquireStartTimestamp + leaseTicks;

        // Renewal is a one-shot timer re-armed after each renewal completes (never two renewals in flight,
        // no thread or task parked per lease); disposing it on release is all it takes to stop.
        renewTimer = new Timer(static s => _ = ((RedisLease)s!).RenewOnceAsync(), this, owner.Options.EffectiveRenewEvery, Timeout.InfiniteTimeSpan);
        if (callerToken.CanBeCanceled)
        {
            callerRegistration = callerToken.Register(static s => ((RedisLease)s!).StopRenewal(), this);
        }
    }

    public abstract RedisLeaseKind Kind { get; }

    /// <summary>This acquisition's token (random, never reused). Knowing it is what entitles a release.</summary>
    public string Token { get; }

    /// <summary>The lock this lease belongs to.</summary>
    public RedisRwLock Lock => owner;

    /// <summary>True until released or lost. A local view: the server's view may already differ (see remarks).</summary>
    public bool IsHeld => Volatile.Read(ref released) == 0 && !isLost && Stopwatch.GetTimestamp() < Volatile.Read(ref validUntilTicks);

    /// <summary>Time left before the lease expires unless renewed, measured conservatively from before the acquiring or renewing request was sent.</summary>
    public TimeSpan RemainingValidity
    {
        get
        {
            var ticks = Volatile.Read(ref validUntilTicks) - Stopwatch.GetTimestamp();
            return ticks <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
        }
    }

    /// <summary>Cancelled when this lease is lost (renewal refused, or local validity elapsed). Never cancelled by a normal release.</summary>
    public CancellationToken LostToken
    {
        get
        {
            lock (gate)
            {
                if (lost is null)
                {
                    lost = new CancellationTokenSource();
                    if (isLost)
                    {
                        lost.Cancel();
                    }
                    else if (Volatile.Read(ref released) == 0)
                    {
                        lost.CancelAfter(RemainingValidity);
                    }
                }

                return lost.Token;
            }
        }
    }

    /// <summary>Whether the background renewal is still running.</summary>
    public bool IsRenewing => renewing;

    /// <summary>Stops renewing; the lease then expires after at most one lease period unless released.</summary>
    public void StopRenewal()
    {
        lock (gate)
        {
            renewing = false;
            renewTimer?.Dispose();
            renewTimer = null;
        }
    }

    /// <summary>
    /// Releases the lease in one round trip. Returns true when it was still held on the server;
    /// false when it had been lost (expired or taken over) or was already released.
    /// Throws <see cref="RedisLockUnavailableException"/> when Redis cannot be reached (the lease
    /// then expires on its own; renewal has stopped).
    /// </summary>
    public Task<bool> ReleaseAsync()
    {
        if (Interlocked.Exchange(ref released, 1) != 0)
        {
            return Task.FromResult(false);
        }

        StopRenewal();
        callerRegistration.Dispose();
        lock (gate)
        {
            // A normal release is not a loss: disarm the local-validity timer.
            lost?.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        return owner.ReleaseAsync(Kind, Token);
    }

    /// <summary>Synchronous <see cref="ReleaseAsync"/>.</summary>
    public bool Release() => ReleaseAsync().GetAwaiter().GetResult();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync().ConfigureAwait(false);
        }
        catch (RedisLockUnavailableException)
        {
            // Disposal must not throw for an unreachable server: the lease expires by itself.
        }

        GC.SuppressFinalize(this);
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    public override string ToString() => $"{Kind} lease {Token[..8]} on '{owner.Name}'{(IsHeld ? string.Empty : " (not held)")}";

    private void MarkLost()
    {
        lock (gate)
        {
            isLost = true;
            renewing = false;
            renewTimer?.Dispose();
            renewTimer = null;
            lost?.Cancel();
        }
    }

    private async Task RenewOnceAsync()
    {
        if (!renewing)
        {
            return;
        }

        var sent = Stopwatch.GetTimestamp();
        bool extended;
        try
        {
            extended = await owner.RenewAsync(Kind, Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisRwLockException or StackExchange.Redis.RedisException or ObjectDisposedException)
        {
            // Unreachable server (or any other failure of this call): keep trying while the local validity
            // lasts; after that the lease is lost. Never let the fire-and-forget renewal fault unobserved.
            if (Stopwatch.GetTimestamp() >= Volatile.Read(ref validUntilTicks))
            {
                MarkLost();
            }
            else
            {
                Rearm();
            }

            return;
        }

        if (!renewing || Volatile.Read(ref released) != 0)
        {
            return; // released or stopped meanwhile: its answer no longer matters
        }

        if (!extended)
        {
            MarkLost();
            return;
        }

        Volatile.Write(ref validUntilTicks, sent + leaseTicks);
        lock (gate)
        {
            lost?.CancelAfter(RemainingValidity);
        }

        Rearm();
    }

    private void Rearm()
    {
        lock (gate)
        {
            renewTimer?.Change(owner.Options.EffectiveRenewEvery, Timeout.InfiniteTimeSpan);
        }
    }
}

/// <summary>A read lease: shared with other readers, excludes writers.</summary>
public sealed class RedisReadLease : RedisLease
{
    internal RedisReadLease(RedisRwLock owner, string token, long start, CancellationToken callerToken)
        : base(owner, token, start, callerToken)
    {
    }

    public override RedisLeaseKind Kind => RedisLeaseKind.Read;
}

/// <summary>A write lease: exclusive. Carries the fencing token of this acquisition.</summary>
public sealed class RedisWriteLease : RedisLease
{
    internal RedisWriteLease(RedisRwLock owner, string token, long fencingToken, long start, CancellationToken callerToken)
        : base(owner, token, start, callerToken)
    {
        FencingToken = fencingToken;
    }

    public override RedisLeaseKind Kind => RedisLeaseKind.Write;

    /// <summary>
    /// Strictly greater than the fencing token of every earlier write acquisition of this lock.
    /// Pass it with every write to the guarded resource (see <see cref="FencedStore"/>), which
    /// refuses tokens older than the newest it has seen: a holder that lost its lease while
    /// paused cannot overwrite the work of the holder after it.
    /// </summary>
    public long FencingToken { get; }

    public override string ToString() => base.ToString() + $" fence={FencingToken}";
}
