using StackExchange.Redis;

namespace RwHarness.Locks.Redis;

/// <summary>Outcome of one <see cref="FencedStore"/> operation.</summary>
public readonly record struct FencedResult(bool Accepted, string? Value, long NewestFence);

/// <summary>
/// The guarded-resource example: a value in Redis that only accepts operations carrying a fencing token
/// at least as new as the newest it has seen (<c>Lua/fenced_store.lua</c>, one round trip each).
/// Reads register the token as well, so the read-modify-write of a writer that was paused past its lease
/// is refused even when the next writer has read but not yet written.
/// </summary>
/// <example>
/// <code>
/// await using var lease = await rwLock.AcquireWriteAsync(TimeSpan.FromSeconds(5));
/// var read = await store.ReadAsync(lease.FencingToken);
/// if (read.Accepted) await store.WriteAsync(lease.FencingToken, Next(read.Value));
/// </code>
/// </example>
public sealed class FencedStore
{
    private readonly IDatabase db;
    private readonly RedisKey[] keys;

    /// <param name="db">Database holding the value.</param>
    /// <param name="name">Base key: the value is <c>NAME:value</c>, the newest seen token <c>NAME:fence</c>, accepted writes <c>NAME:writes</c>.</param>
    public FencedStore(IDatabase db, string name)
    {
        this.db = db;
        var root = "{" + name + "}";
        ValueKey = root + ":value";
        FenceKey = root + ":fence";
        WritesKey = root + ":writes";
        keys = [ValueKey, FenceKey, WritesKey];
    }

    public RedisKey ValueKey { get; }

    public RedisKey FenceKey { get; }

    public RedisKey WritesKey { get; }

    /// <summary>Reads the value with <paramref name="fence"/>; refused (Accepted=false) when a newer token has been seen.</summary>
    public Task<FencedResult> ReadAsync(long fence) => RunAsync("r", fence, RedisValue.EmptyString);

    /// <summary>Writes the value with <paramref name="fence"/>; refused (Accepted=false, nothing changed) when a newer token has been seen.</summary>
    public Task<FencedResult> WriteAsync(long fence, string value) => RunAsync("w", fence, value);

    /// <summary>The stress's write without a token check (to demonstrate what fencing prevents). Same bookkeeping as an accepted write.</summary>
    public async Task WriteUnfencedAsync(string value) =>
        await Eval(RedisScripts.StressUnfencedWrite, [value]).ConfigureAwait(false);

    /// <summary>Current value (no token; for checkers).</summary>
    public async Task<string?> PeekAsync() => await db.StringGetAsync(ValueKey).ConfigureAwait(false);

    /// <summary>Count of accepted writes (for checkers: with integer increments, value == writes unless an update was lost).</summary>
    public async Task<long> AcceptedWritesAsync() => (long)await db.StringGetAsync(WritesKey).ConfigureAwait(false);

    /// <summary>Newest fencing token the store has seen.</summary>
    public async Task<long> NewestFenceAsync() => (long)await db.StringGetAsync(FenceKey).ConfigureAwait(false);

    private async Task<FencedResult> RunAsync(string op, long fence, RedisValue value)
    {
        var r = (RedisResult[])(await Eval(RedisScripts.FencedStore, [op, fence, value]).ConfigureAwait(false))!;
        if ((long)r[0] == 1)
        {
            return new FencedResult(true, op == "r" ? (string?)r[1] : null, fence);
        }

        return new FencedResult(false, null, long.Parse((string)r[1]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    private async Task<RedisResult> Eval(RedisScript script, RedisValue[] args)
    {
        try
        {
            return await script.EvaluateAsync(db, keys, args).ConfigureAwait(false);
        }
        catch (Exception e) when (RedisRwLock.IsUnavailable(e))
        {
            throw new RedisLockUnavailableException($"Redis unavailable during fenced store operation: {e.Message}", e);
        }
    }
}
