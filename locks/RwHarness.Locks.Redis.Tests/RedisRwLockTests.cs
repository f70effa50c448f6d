using NUnit.Framework;
using StackExchange.Redis;
using static RwHarness.Locks.Redis.Tests.TestSupport;

namespace RwHarness.Locks.Redis.Tests;

/// <summary>The lock's semantics against a real redis-server, in one process. No timing assertions: every wait is bounded.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class RedisRwLockTests
{
    [SetUp]
    public void RequireServer() => RedisFixture.RequireServer();

    [Test]
    public async Task Readers_share_and_writers_exclude()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        var r1 = await l.AcquireReadAsync(Bound);
        var r2 = await l.AcquireReadAsync(Bound);
        Assert.That(await l.TryAcquireWriteAsync(), Is.Null, "a writer must not enter while readers hold the lock");
        Assert.That((await l.InspectAsync()).Readers, Is.EqualTo(2));
        Assert.That(await r1.ReleaseAsync(), Is.True);
        Assert.That(await r2.ReleaseAsync(), Is.True);

        var w = await l.AcquireWriteAsync(Bound);
        Assert.That(await l.TryAcquireReadAsync(), Is.Null, "a reader must not enter while a writer holds the lock");
        Assert.That(await l.TryAcquireWriteAsync(), Is.Null, "a second writer must not enter");
        Assert.That(await w.ReleaseAsync(), Is.True);
        Assert.That(await w.ReleaseAsync(), Is.False, "a second release is a no-op");
        var state = await l.InspectAsync();
        Assert.That(state.WriterHeld || state.Readers != 0 || state.WriterIntents != 0, Is.False, state.ToString());
    }

    [Test]
    public async Task Every_write_acquisition_gets_a_strictly_greater_fencing_token()
    {
        using var a = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        using var mux = RedisFixture.Connect();
        using var b = new RedisRwLock(mux, a.Name, Options());
        var last = 0L;
        for (var i = 0; i < 20; i++)
        {
            await using var lease = await (i % 2 == 0 ? a : b).AcquireWriteAsync(Bound);
            Assert.That(lease.FencingToken, Is.GreaterThan(last));
            last = lease.FencingToken;
        }
    }

    [Test]
    public async Task Writer_preferring_a_waiting_writer_keeps_new_readers_out()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        var reader = await l.AcquireReadAsync(Bound);
        var writer = l.AcquireWriteAsync(Bound);
        Assert.That(await EventuallyAsync(async () => (await l.InspectAsync()).WriterIntents == 1), "the waiting writer records its intent");
        Assert.That(await l.TryAcquireReadAsync(), Is.Null, "new readers wait behind the writer's intent");
        await reader.ReleaseAsync();
        await using var w = await writer;
        Assert.That((await l.InspectAsync()).WriterIntents, Is.Zero, "the intent is gone once the writer holds the lock");
    }

    [Test]
    public async Task Reader_preferring_mode_lets_new_readers_in_while_a_writer_waits()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(RedisRwLockMode.ReaderPreferring));
        var reader = await l.AcquireReadAsync(Bound);
        using var cts = new CancellationTokenSource();
        var writer = l.AcquireWriteAsync(Bound, cts.Token);
        await Task.Delay(100); // give the writer attempts; correctness does not depend on it
        var second = await l.TryAcquireReadAsync();
        Assert.That(second, Is.Not.Null, "reader-preferring: a new reader enters although a writer waits");
        Assert.That((await l.InspectAsync()).WriterIntents, Is.Zero, "reader-preferring writers record no intent");
        Assert.That(writer.IsCompleted, Is.False, "the writer still waits for the readers");
        await reader.ReleaseAsync();
        await second!.ReleaseAsync();
        await using var w = await writer;
        Assert.That(w.IsHeld, Is.True);
    }

    [Test]
    public async Task Two_holders_in_one_process_cannot_release_each_others_lock()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        var a = l.CreateHolder();
        var b = l.CreateHolder();
        a.EnterWrite();
        Assert.Throws<SynchronizationLockException>(b.ExitWrite, "b holds nothing and cannot exit a's write lock");
        Assert.Throws<SynchronizationLockException>(b.ExitRead);
        Assert.That(await l.ReleaseAsync(RedisLeaseKind.Write, Guid.NewGuid().ToString("N")), Is.False, "a foreign token is refused");
        Assert.That(await l.ReleaseAsync(RedisLeaseKind.Read, a.WriteLease!.Token), Is.False, "a write token does not release a read lease");
        Assert.That((await l.InspectAsync()).WriterHeld, Is.True, "a still holds the lock");
        Assert.That(b.TryEnterWrite(), Is.False);
        a.ExitWrite();
        Assert.That(b.TryEnterWrite(), Is.True);
        b.ExitWrite();

        // Readers are individual leases: b's exit releases b's lease only.
        a.EnterRead();
        b.EnterRead();
        b.ExitRead();
        Assert.That((await l.InspectAsync()).Readers, Is.EqualTo(1));
        Assert.Throws<SynchronizationLockException>(b.ExitRead);
        a.ExitRead();
        Assert.That((await l.InspectAsync()).Readers, Is.Zero);
    }

    [Test]
    public async Task An_expired_holder_cannot_release_the_next_holders_lock()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 0.5));
        var stale = await l.AcquireWriteAsync(Bound);
        stale.StopRenewal(); // as if paused: its lease runs out
        await using var next = await l.AcquireWriteAsync(Bound);
        Assert.That(next.FencingToken, Is.GreaterThan(stale.FencingToken));
        Assert.That(await stale.ReleaseAsync(), Is.False, "the stale holder's release is refused");
        Assert.That(next.IsHeld, Is.True);
        Assert.That((await l.InspectAsync()).WriterHeld, Is.True, "the next holder still holds the lock");
    }

    [Test]
    public async Task IRwLock_surface_is_tracked_per_thread()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        var entered = new ManualResetEventSlim();
        var exit = new ManualResetEventSlim();
        var owner = new Thread(() =>
        {
            l.EnterWrite();
            entered.Set();
            exit.Wait(Bound);
            l.ExitWrite();
        });
        owner.Start();
        Assert.That(entered.Wait(Bound), Is.True);
        Assert.Throws<SynchronizationLockException>(l.ExitWrite, "another thread cannot exit the owner's write lock");
        Assert.That(l.TryEnterRead(), Is.False);
        exit.Set();
        Assert.That(owner.Join(Bound), Is.True);

        l.EnterRead();
        l.EnterRead();
        Assert.That(l.DescribeState(), Does.Contain("readers=2"));
        l.ExitRead();
        l.ExitRead();
        Assert.That(l.TryEnterWrite(), Is.True);
        l.ExitWrite();
        await Task.CompletedTask;
    }

    [Test]
    public async Task A_crashed_readers_lease_ages_out_and_leaks_nothing()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 0.5));
        var crashed = await l.AcquireReadAsync(Bound);
        crashed.StopRenewal(); // a reader that died: nobody renews or releases its lease
        await using (var w = await l.AcquireWriteAsync(Bound))
        {
            Assert.That((await l.InspectAsync()).Readers, Is.Zero, "the dead reader's lease was pruned");
        }

        Assert.That(await crashed.ReleaseAsync(), Is.False, "its late release reports the loss and changes nothing");
        Assert.That((await l.InspectAsync()).Readers, Is.Zero, "the reader count can never go negative or leak");
    }

    [Test]
    public async Task Renewal_keeps_a_lease_alive_past_its_length_and_stops_on_release()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 1.5));
        var w = await l.AcquireWriteAsync(Bound);
        await Task.Delay(3500); // more than two lease lengths; renewal runs every 500 ms
        Assert.That(w.IsRenewing, Is.True, "renewal is running");
        Assert.That(await l.TryAcquireWriteAsync(), Is.Null, "the renewed lease still excludes others");
        Assert.That(w.IsHeld, Is.True);
        Assert.That(w.LostToken.IsCancellationRequested, Is.False);
        Assert.That(await w.ReleaseAsync(), Is.True);
        Assert.That(w.IsRenewing, Is.False, "renewal stopped with the release");
        Assert.That(w.LostToken.IsCancellationRequested, Is.False, "a normal release is not a loss");
    }

    [Test]
    public async Task Cancellation_while_held_stops_renewal_and_nothing_hangs()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 0.5));
        using var cts = new CancellationTokenSource();
        var w = await l.AcquireWriteAsync(Bound, cts.Token);
        cts.Cancel();
        Assert.That(await EventuallyAsync(() => Task.FromResult(!w.IsRenewing)), "renewal stops on cancellation");
        await using var next = await l.AcquireWriteAsync(Bound);
        Assert.That(await EventuallyAsync(() => Task.FromResult(w.LostToken.IsCancellationRequested)), "the lapsed lease reports itself lost");
        Assert.That(await w.ReleaseAsync().WaitAsync(Bound), Is.False);
    }

    [Test]
    public async Task Giving_up_times_out_or_cancels_cleanly_and_withdraws_the_intent()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        await using var reader = await l.AcquireReadAsync(Bound);
        await Assert.ThrowsAsync<RedisLockTimeoutException>(async () => await l.AcquireWriteAsync(TimeSpan.FromMilliseconds(300)));
        Assert.That((await l.InspectAsync()).WriterIntents, Is.Zero, "a timed-out writer withdraws its intent");

        using var cts = new CancellationTokenSource();
        var waiting = l.AcquireWriteAsync(Bound, cts.Token);
        Assert.That(await EventuallyAsync(async () => (await l.InspectAsync()).WriterIntents == 1), Is.True);
        cts.Cancel();
        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        Assert.That((await l.InspectAsync()).WriterIntents, Is.Zero, "a cancelled writer withdraws its intent");
        await using var r2 = await l.AcquireReadAsync(Bound);
    }

    [Test]
    public async Task Waiters_are_woken_by_the_release_message()
    {
        using var holderLock = new RedisRwLock(RedisFixture.Connection, NewName(), Options() with { MinBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromMilliseconds(400) });
        using var mux = RedisFixture.Connect();
        using var waiterLock = new RedisRwLock(mux, holderLock.Name, holderLock.Options);
        var held = await holderLock.AcquireWriteAsync(Bound);
        var waiter = waiterLock.AcquireWriteAsync(Bound);
        Assert.That(await EventuallyAsync(async () => (await waiterLock.InspectAsync()).WriterIntents == 1), Is.True);
        await held.ReleaseAsync();
        await using var w = await waiter;
        Assert.That(await EventuallyAsync(() => Task.FromResult(waiterLock.WakeMessages > 0)), "the waiter's instance received the release on pub/sub");
    }

    [Test]
    public async Task Acquire_and_release_are_one_EVALSHA_round_trip_each()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 30));
        await (await l.AcquireWriteAsync(Bound)).ReleaseAsync(); // connect, subscribe, load scripts
        using var admin = StackExchange.Redis.ConnectionMultiplexer.Connect(RedisFixture.Server.Endpoint + ",allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var before = await CommandStatsAsync(server);
        var lease = await l.AcquireReadAsync(Bound);
        await lease.ReleaseAsync();
        var wlease = await l.AcquireWriteAsync(Bound);
        await wlease.ReleaseAsync();
        var after = await CommandStatsAsync(server);
        Assert.That(Delta("evalsha"), Is.EqualTo(4), "two acquisitions and two releases: four EVALSHA");
        foreach (var other in new[] { "eval", "script|load", "script|exists" })
        {
            // (commands that scripts call internally are counted too, so only client-sent ones are checked)
            Assert.That(Delta(other), Is.Zero, $"no {other} on the hot path");
        }

        long Delta(string cmd) => after.GetValueOrDefault(cmd) - before.GetValueOrDefault(cmd);
    }

    [Test]
    public async Task Scripts_are_reloaded_after_the_server_forgets_them()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        await (await l.AcquireWriteAsync(Bound)).ReleaseAsync();
        await RedisFixture.Server.SendAsync("SCRIPT FLUSH");
        await using var w = await l.AcquireWriteAsync(Bound); // NOSCRIPT -> SCRIPT LOAD -> EVALSHA
        Assert.That(w.IsHeld, Is.True);
    }

    [Test]
    public async Task Fenced_store_rejects_a_stale_token()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 0.5));
        var store = new FencedStore(RedisFixture.Connection.GetDatabase(), l.Name + ":store");
        var old = await l.AcquireWriteAsync(Bound);
        var oldRead = await store.ReadAsync(old.FencingToken);
        Assert.That(oldRead.Accepted, Is.True);
        old.StopRenewal(); // paused past its lease

        await using (var current = await l.AcquireWriteAsync(Bound))
        {
            var read = await store.ReadAsync(current.FencingToken);
            Assert.That(read.Accepted, Is.True);
            Assert.That((await store.WriteAsync(current.FencingToken, "new")).Accepted, Is.True);
        }

        var late = await store.WriteAsync(old.FencingToken, "stale");
        Assert.That(late.Accepted, Is.False, "the old holder's late write is refused");
        Assert.That(late.NewestFence, Is.GreaterThan(old.FencingToken));
        Assert.That((await store.ReadAsync(old.FencingToken)).Accepted, Is.False);
        Assert.That(await store.PeekAsync(), Is.EqualTo("new"));
        Assert.That(await store.AcceptedWritesAsync(), Is.EqualTo(1));
    }

    [Test]
    public async Task Redis_restart_gives_clear_errors_then_the_lock_recovers()
    {
        using var server = RedisServerProcess.Start();
        using var mux = RedisFixture.Connect(server.Endpoint);
        using var l = new RedisRwLock(mux, NewName(), Options());
        await (await l.AcquireWriteAsync(Bound)).ReleaseAsync();
        await server.SendAsync("SHUTDOWN NOSAVE").ContinueWith(_ => { });
        var error = await Assert.ThrowsAsync<RedisLockUnavailableException>(async () => await l.AcquireWriteAsync(Bound));
        Assert.That(error!.Message, Does.Contain("Redis unavailable").And.Contain(l.Name));
        await server.RestartAsync(TimeSpan.Zero);
        RedisWriteLease? lease = null;
        Assert.That(
            await EventuallyAsync(async () =>
            {
                try
                {
                    lease = await l.AcquireWriteAsync(Bound);
                    return true;
                }
                catch (RedisLockUnavailableException)
                {
                    return false;
                }
            }),
            "the lock works again once the server is back");
        Assert.That(lease!.FencingToken, Is.GreaterThan(0), "the fencing counter re-seeds from server time after data loss");
        Assert.That(await lease.ReleaseAsync(), Is.True);
    }

    private static async Task<Dictionary<string, long>> CommandStatsAsync(IServer server)
    {
        var info = await server.InfoRawAsync("commandstats") ?? string.Empty;
        var stats = new Dictionary<string, long>();
        foreach (var line in info.Split('\n', StringSplitOptions.TrimEntries))
        {
            // cmdstat_evalsha:calls=12,usec=...
            if (!line.StartsWith("cmdstat_", StringComparison.Ordinal))
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var calls = line[(colon + 1)..].Split(',')[0];
            stats[line["cmdstat_".Length..colon]] = long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        return stats;
    }
}
