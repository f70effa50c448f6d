using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis;

/// <summary>
/// One Lua script, embedded as a resource (<c>Lua/NAME.lua</c>). Its SHA1 is computed locally, so
/// every call is a single EVALSHA. When the server answers NOSCRIPT (first contact, a restart,
/// SCRIPT FLUSH) the script is loaded with SCRIPT LOAD on every endpoint and the call retried once.
/// </summary>
internal sealed class RedisScript
{
    private RedisScript(string name, string text)
    {
        Name = name;
        Text = text;
        Sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
    }

    public string Name { get; }

    public string Text { get; }

    public byte[] Sha1 { get; }

    public string Sha1Hex => Convert.ToHexStringLower(Sha1);

    public static RedisScript FromResource(string name)
    {
        var assembly = typeof(RedisScript).Assembly;
        var resource = $"RwHarness.Locks.Redis.Lua.{name}.lua";
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded Lua script '{resource}' is missing");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new RedisScript(name, reader.ReadToEnd());
    }

    /// <summary>Loads this script on every endpoint of the connection (SCRIPT LOAD).</summary>
    public async Task LoadAsync(IConnectionMultiplexer redis)
    {
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsConnected)
            {
                await server.ScriptLoadAsync(Text).ConfigureAwait(false);
            }
        }
    }

    /// <summary>EVALSHA; on NOSCRIPT, SCRIPT LOAD and one retry.</summary>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await db.ScriptEvaluateAsync(Sha1, keys, args).ConfigureAwait(false);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            await LoadAsync(db.Multiplexer).ConfigureAwait(false);
            return await db.ScriptEvaluateAsync(Sha1, keys, args).ConfigureAwait(false);
        }
    }
}

/// <summary>The scripts of this library, parsed once per process.</summary>
internal static class RedisScripts
{
    public static readonly RedisScript ReadAcquire = RedisScript.FromResource("read_acquire");
    public static readonly RedisScript ReadRelease = RedisScript.FromResource("read_release");
    public static readonly RedisScript WriteAcquire = RedisScript.FromResource("write_acquire");
    public static readonly RedisScript WriteRelease = RedisScript.FromResource("write_release");
    public static readonly RedisScript Renew = RedisScript.FromResource("renew");
    public static readonly RedisScript IntentCancel = RedisScript.FromResource("intent_cancel");
    public static readonly RedisScript Inspect = RedisScript.FromResource("inspect");
    public static readonly RedisScript FencedStore = RedisScript.FromResource("fenced_store");
    public static readonly RedisScript StressUnfencedWrite = RedisScript.FromResource("stress_unfenced_write");
    public static readonly RedisScript StressDetector = RedisScript.FromResource("stress_detector");

    /// <summary>The scripts a lock uses on its hot path, loaded together when a lock first connects.</summary>
    public static readonly RedisScript[] LockScripts = [ReadAcquire, ReadRelease, WriteAcquire, WriteRelease, Renew, IntentCancel, Inspect];
}
