using StackExchange.Redis;

namespace RwHarness.Locks.Redis;

/// <summary>Who wins when readers and a writer wait at the same time.</summary>
public enum RedisRwLockMode
{
    /// <summary>A waiting writer's intent keeps new readers out (the default; no writer starvation).</summary>
    WriterPreferring,

    /// <summary>Readers enter whenever no writer holds the lock; writers wait for a moment with no readers (may starve writers).</summary>
    ReaderPreferring,
}

/// <summary>Settings of a <see cref="RedisRwLock"/>. Every client of one lock name must use the same <see cref="Mode"/>.</summary>
public sealed record RedisRwLockOptions
{
    /// <summary>Prefix of the lock's keys: <c>PREFIX:{NAME}:writer</c>, <c>:readers</c>, <c>:intents</c>, <c>:fence</c>, channel <c>:released</c>.</summary>
    public string KeyPrefix { get; init; } = "rwlock";

    public RedisRwLockMode Mode { get; init; } = RedisRwLockMode.WriterPreferring;

    /// <summary>Lease of every acquisition, kept alive by background renewal while held.</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Renewal period; default a third of <see cref="Lease"/>.</summary>
    public TimeSpan? RenewEvery { get; init; }

    /// <summary>Lifetime of a waiting writer's intent unless its next attempt refreshes it; default <see cref="Lease"/>.</summary>
    public TimeSpan? WriterIntent { get; init; }

    /// <summary>First backoff between attempts when no release message arrives; doubled up to <see cref="MaxBackoff"/>, with jitter.</summary>
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest backoff between two attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Timeout of the blocking <see cref="RwHarness.Sync.IRwLock"/> methods (EnterRead/EnterWrite); infinite by default.</summary>
    public TimeSpan SyncTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>Redis database number; -1 is the connection's default.</summary>
    public int Database { get; init; } = -1;

    /// <summary>
    /// When true, the blocking <see cref="RwHarness.Sync.IRwLock"/> exits (<c>ExitRead</c>/<c>ExitWrite</c>, per thread or
    /// per <see cref="RedisRwLockHolder"/>) send the release and return without waiting for its reply. The release is
    /// ordered before every later command of the same connection; a release that reports the lease already lost, or
    /// that fails, is raised as <see cref="RedisRwLock.ReleaseFailed"/> and thrown by the holder's next Enter or
    /// <see cref="RedisRwLockHolder.WaitForReleases"/>. Off by default: Exit then waits and throws at once.
    /// See the README ("Pipelined release") for what a caller can rely on.
    /// </summary>
    public bool PipelinedRelease { get; init; }

    internal TimeSpan EffectiveRenewEvery => RenewEvery ?? Lease / 3;

    /// <summary>
    /// Lifetime of a waiter's registration (who releases wake) unless its next attempt refreshes it: a waiter sleeps
    /// at most <see cref="MaxBackoff"/> between attempts, so twice that plus slack for a slow round trip.
    /// </summary>
    internal TimeSpan EffectiveWaitRegistration => (MaxBackoff * 2) + TimeSpan.FromMilliseconds(500);

    internal TimeSpan EffectiveWriterIntent => WriterIntent ?? Lease;

    internal void Validate()
    {
        if (Lease < TimeSpan.FromMilliseconds(100))
        {
            throw new ArgumentException("Lease must be at least 100 ms");
        }

        if (EffectiveRenewEvery <= TimeSpan.Zero || EffectiveRenewEvery >= Lease)
        {
            throw new ArgumentException("RenewEvery must be positive and shorter than Lease");
        }

        if (MinBackoff <= TimeSpan.Zero || MaxBackoff < MinBackoff)
        {
            throw new ArgumentException("need 0 < MinBackoff <= MaxBackoff");
        }

        if (EffectiveWriterIntent < MaxBackoff * 2)
        {
            throw new ArgumentException("WriterIntent must be at least twice MaxBackoff, or a waiting writer's intent lapses between attempts");
        }
    }

    /// <summary>
    /// Connection settings that suit a lock: never abort on a failed first connect, fail commands
    /// fast while disconnected (clear errors instead of silent queuing), reconnect quickly.
    /// </summary>
    public static ConfigurationOptions ConnectionFor(string endpoint, TimeSpan? commandTimeout = null)
    {
        var config = ConfigurationOptions.Parse(endpoint);
        var timeout = (int)(commandTimeout ?? TimeSpan.FromSeconds(5)).TotalMilliseconds;
        config.AbortOnConnectFail = false;
        config.ConnectTimeout = timeout;
        config.SyncTimeout = timeout;
        config.AsyncTimeout = timeout;
        config.ConnectRetry = 2;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        config.ReconnectRetryPolicy = new LinearRetry(250);
        return config;
    }
}
