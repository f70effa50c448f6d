using NUnit.Framework;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis.Tests;

/// <summary>
/// Starts one redis-server for the whole assembly (free loopback port, temp dir, no persistence) and stops
/// it after. Without redis-server on PATH every test is skipped with the reason, unless RWH_REQUIRE_REDIS=1,
/// where every test fails instead.
/// </summary>
[SetUpFixture]
public sealed class RedisFixture
{
    private static RedisServerProcess? server;
    private static ConnectionMultiplexer? connection;
    private static string? unavailableReason;

    public static bool Required => Environment.GetEnvironmentVariable("RWH_REQUIRE_REDIS") == "1";

    public static RedisServerProcess Server => server ?? throw new InvalidOperationException("no server");

    public static ConnectionMultiplexer Connection => connection ?? throw new InvalidOperationException("no connection");

    /// <summary>Call first in every test: skips (or fails, when required) without a server.</summary>
    public static void RequireServer()
    {
        if (unavailableReason is null)
        {
            return;
        }

        if (Required)
        {
            Assert.Fail($"RWH_REQUIRE_REDIS=1 but {unavailableReason}");
        }

        Assert.Ignore($"skipped: {unavailableReason} (install redis-server, e.g. apt-get install redis-server)");
    }

    /// <summary>A new connection to the shared server, with the lock's recommended settings.</summary>
    public static ConnectionMultiplexer Connect(string? endpoint = null) =>
        ConnectionMultiplexer.Connect(RedisRwLockOptions.ConnectionFor(endpoint ?? Server.Endpoint, TimeSpan.FromSeconds(3)));

    [OneTimeSetUp]
    public void Start()
    {
        if (RedisServerProcess.FindOnPath() is null)
        {
            unavailableReason = "redis-server is not on PATH";
            return;
        }

        try
        {
            server = RedisServerProcess.Start();
            connection = Connect();
        }
        catch (Exception e) when (e is IOException or TimeoutException or RedisException)
        {
            unavailableReason = $"redis-server did not start: {e.Message}";
        }
    }

    [OneTimeTearDown]
    public void Stop()
    {
        connection?.Dispose();
        server?.Dispose();
    }
}
