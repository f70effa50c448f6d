using NUnit.Framework;
using RwHarness.Locks.Redis.Stress;

namespace RwHarness.Locks.Redis.Tests;

/// <summary>
/// Multi-process fault tests: RedisStress.RunCoordinatorAsync starts its own redis-server and N StressClient
/// processes that guard a non-atomic read-modify-write; each test injects one fault and asserts nothing was
/// lost. Outcomes only: no durations are asserted; everything is bounded.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class RedisFaultTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(1.5);

    [SetUp]
    public void RequireServer() => RedisFixture.RequireServer();

    [Test]
    public async Task Clients_guarding_a_read_modify_write_lose_nothing()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 4, Duration = TimeSpan.FromSeconds(5) });
        AssertNothingLost(result);
    }

    [Test]
    public async Task Reader_preferring_mode_loses_nothing_either()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(4), Mode = RedisRwLockMode.ReaderPreferring });
        AssertNothingLost(result);
    }

    [Test]
    public async Task Kill_9_of_a_reader_inside_its_critical_section()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(6), Faults = RedisStressFaults.KillReader });
        AssertNothingLost(result);
    }

    [Test]
    public async Task Kill_9_of_a_writer_inside_its_critical_section()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(6), Faults = RedisStressFaults.KillWriter });
        AssertNothingLost(result);
    }

    [Test]
    public async Task SIGSTOP_of_a_writer_past_its_lease_is_stopped_by_the_fencing_token()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(7), ReadFraction = 0.3, Faults = RedisStressFaults.PauseWriter });
        AssertNothingLost(result);
    }

    [Test]
    public async Task Without_fencing_the_paused_writers_lost_update_is_detected()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(7), ReadFraction = 0.3, Faults = RedisStressFaults.PauseWriter, Unfenced = true });
        Assert.That(result.LostUpdates, Is.GreaterThan(0), "the unfenced late write must overwrite a newer value, and the checker must see it");
        Assert.That(result.Passed, Is.False, "the run reports the bug (exit code 1)");
        Assert.That(result.Overlaps, Is.Zero, "the lock itself never granted overlapping leases");
    }

    [Test]
    public async Task Redis_restarted_mid_run_clients_see_errors_then_recover()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(7), Faults = RedisStressFaults.RestartServer });
        AssertNothingLost(result);
    }

    [Test]
    public async Task Pipelined_releases_lose_nothing_with_a_writer_killed_and_another_paused()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 4, Duration = TimeSpan.FromSeconds(10), ReadFraction = 0.3, Faults = RedisStressFaults.KillWriter | RedisStressFaults.PauseWriter, PipelinedRelease = true });
        AssertNothingLost(result);
    }

    [Test]
    public async Task Pipelined_releases_recover_from_a_redis_restart()
    {
        var result = await RunAsync(new() { ClientExecutable = "dotnet", Clients = 3, Duration = TimeSpan.FromSeconds(7), Faults = RedisStressFaults.RestartServer, PipelinedRelease = true });
        AssertNothingLost(result);
    }

    [Test]
    public void Bad_options_exit_with_code_2()
    {
        var output = new StringWriter();
        var code = RedisStress.RunCoordinator(new RedisStressOptions { ClientExecutable = "dotnet", Clients = 1 }, output);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(output.ToString(), Does.StartWith("redis-stress: --clients"));
    }

    private static void AssertNothingLost(RedisStressResult result)
    {
        Assert.That(result.Overlaps, Is.Zero, "no two holders overlapped");
        Assert.That(result.LostUpdates, Is.Zero, "no update was lost");
        Assert.That(result.Problems, Is.Empty);
        Assert.That(result.Ops, Is.GreaterThan(0));
        Assert.That(result.Passed, Is.True);
    }

    private static async Task<RedisStressResult> RunAsync(RedisStressOptions options)
    {
        var output = new StringWriter();
        options = options with { ClientArgumentPrefix = [TestSupport.StressClientDll()], Lease = Lease, Seed = 12345 };
        RedisStressResult result;
        try
        {
            result = await RedisStress.RunCoordinatorAsync(options, output);
        }
        finally
        {
            TestContext.Out.WriteLine(output.ToString());
        }

        var lastLine = output.ToString().TrimEnd().Split('\n')[^1].Trim();
        Assert.That(lastLine, Does.Match(@"^redis-stress: ops=\d+ overlaps=\d+ lost-updates=\d+$"));
        return result;
    }
}
