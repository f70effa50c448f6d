using NUnit.Framework;
using StackExchange.Redis;
using static RwHarness.Locks.Redis.Tests.TestSupport;

namespace RwHarness.Locks.Redis.Tests;

/// <summary>
/// Targeted wake-ups (a release publishes only when someone waits, and names one writer) and the opt-in pipelined
/// release of the IRwLock surface. Counts and outcomes only; every wait is bounded, no duration is asserted.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class RedisWakeAndPipelineTests
{
    [SetUp]
    public void RequireServer() => RedisFixture.RequireServer();

    [Test]
    public async Task A_release_with_nobody_waiting_publishes_nothing()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options());
        for (var i = 0; i < 5; i++)
        {
            await (await l.AcquireWriteAsync(Bound)).ReleaseAsync();
            await (await l.AcquireReadAsync(Bound)).ReleaseAsync();
        }

        // The instance is subscribed to its own channel: any publish would have come back to it.
        await RedisFixture.Connection.GetSubscriber().PingAsync();
        Assert.That(l.WakeMessages, Is.Zero, "uncontended releases cost no pub/sub message");
    }

    [Test]
    public async Task A_write_release_wakes_one_waiting_writer_by_name()
    {
        // Backoff long enough that the waiters are woken by the message, not by their own timers (correctness
        // does not depend on it: only the woken-waiter counts are compared, never durations).
        var options = Options(leaseSeconds: 5) with { MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(2) };
        using var holderLock = new RedisRwLock(RedisFixture.Connection, NewName(), options);
        using var mux1 = RedisFixture.Connect();
        using var mux2 = RedisFixture.Connect();
        using var w1 = new RedisRwLock(mux1, holderLock.Name, options);
        using var w2 = new RedisRwLock(mux2, holderLock.Name, options);
        var held = await holderLock.AcquireWriteAsync(Bound);
        var waiting1 = w1.AcquireWriteAsync(Bound);
        var waiting2 = w2.AcquireWriteAsync(Bound);
        Assert.That(await EventuallyAsync(async () => (await holderLock.InspectAsync()).WaitingWriters == 2), "both writers registered as waiters");

        Assert.That(await held.ReleaseAsync(), Is.True);
        var first = await Task.WhenAny(waiting1, waiting2).WaitAsync(Bound);
        Assert.That(await EventuallyAsync(() => Task.FromResult(w1.WakeMessages + w2.WakeMessages >= 2)), "both instances received the message");
        Assert.That(w1.WokenWaiters + w2.WokenWaiters, Is.EqualTo(1), "the message named one writer; the other was not woken");

        await (await first).ReleaseAsync();
        await using var second = await (first == waiting1 ? waiting2 : waiting1).WaitAsync(Bound);
        Assert.That(second.IsHeld, Is.True);
        var state = await holderLock.InspectAsync();
        Assert.That(state.WaitingWriters + state.WaitingReaders + state.WriterIntents, Is.Zero, $"granted waiters leave no registration: {state}");
    }

    [Test]
    public async Task A_woken_writers_release_passes_the_baton_to_the_next_waiting_writer()
    {
        // Backoff (and so the wake window) far longer than the chain takes: every waiter is woken by a message,
        // the first by the holder's release, each next one by the release of the writer woken before it.
        var options = Options(leaseSeconds: 10) with { MinBackoff = TimeSpan.FromSeconds(2), MaxBackoff = TimeSpan.FromSeconds(4) };
        using var holderLock = new RedisRwLock(RedisFixture.Connection, NewName(), options);
        var muxes = Enumerable.Range(0, 3).Select(_ => RedisFixture.Connect()).ToList();
        var locks = muxes.Select(m => new RedisRwLock(m, holderLock.Name, options)).ToList();
        try
        {
            var held = await holderLock.AcquireWriteAsync(Bound);
            var writers = locks.Select(async l =>
            {
                var w = await l.AcquireWriteAsync(Bound);
                return await w.ReleaseAsync();
            }).ToList();
            Assert.That(await EventuallyAsync(async () => (await holderLock.InspectAsync()).WaitingWriters == 3), "three writers registered as waiters");
            await held.ReleaseAsync();
            Assert.That(await Task.WhenAll(writers).WaitAsync(Bound), Is.All.True);
            Assert.That(locks.Sum(l => l.WokenWaiters), Is.EqualTo(3), "each writer was woken by a message naming it");
        }
        finally
        {
            locks.ForEach(l => l.Dispose());
            muxes.ForEach(m => m.Dispose());
        }
    }

    [Test]
    public async Task A_write_release_wakes_every_waiting_reader()
    {
        var options = Options(leaseSeconds: 5) with { MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(2) };
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), options);
        using var mux = RedisFixture.Connect();
        using var readers = new RedisRwLock(mux, l.Name, options);
        var held = await l.AcquireWriteAsync(Bound);
        var r1 = readers.AcquireReadAsync(Bound);
        var r2 = readers.AcquireReadAsync(Bound);
        Assert.That(await EventuallyAsync(async () => (await l.InspectAsync()).WaitingReaders == 2), "both readers registered as waiters");
        await held.ReleaseAsync();
        await using var a = await r1.WaitAsync(Bound);
        await using var b = await r2.WaitAsync(Bound);
        Assert.That(readers.WokenWaiters, Is.GreaterThanOrEqualTo(2), "one '*' message woke both readers");
        Assert.That((await l.InspectAsync()).WaitingReaders, Is.Zero);
    }

    [Test]
    public async Task A_writer_woken_by_name_that_died_does_not_block_the_lock()
    {
        var options = Options(leaseSeconds: 3);
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), options);
        var held = await l.AcquireWriteAsync(Bound);

        // A waiter that registered and then died: nobody listens for its name.
        var db = RedisFixture.Connection.GetDatabase();
        await db.SortedSetAddAsync(l.WaitingWritersKey, "dead-writer", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 60_000);

        Assert.That(await held.ReleaseAsync(), Is.True); // wakes (and briefly reserves the lock for) the dead writer
        await using var next = await l.AcquireWriteAsync(Bound);
        Assert.That(next.IsHeld, Is.True, "the reservation of a dead woken writer lapses within the wake window");
    }

    [Test]
    public async Task Pipelined_exit_releases_and_later_commands_of_the_connection_see_it()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options() with { PipelinedRelease = true });
        var a = l.CreateHolder();
        var b = l.CreateHolder();
        for (var i = 0; i < 20; i++)
        {
            a.EnterWrite();
            a.ExitWrite(); // returns without waiting for the reply

            // Same connection: b's attempt is ordered after a's release, so it can never see a's lease.
            Assert.That(b.TryEnterWrite(), Is.True, $"round {i}: the next command of the connection runs after the release");
            b.ExitWrite();
            a.EnterRead();
            a.ExitRead();
            Assert.That(b.TryEnterWrite(), Is.True, $"round {i}: read release ordered before the next write attempt");
            b.ExitWrite();
        }

        a.WaitForReleases();
        b.WaitForReleases();
        Assert.That(await a.LastRelease, Is.True);
        Assert.That(l.FailedPipelinedReleases, Is.Zero);

        using var mux = RedisFixture.Connect();
        using var other = new RedisRwLock(mux, l.Name, Options());
        var state = await other.InspectAsync();
        Assert.That(state.WriterHeld || state.Readers != 0, Is.False, $"every pipelined release was applied: {state}");
        await using var w = await other.AcquireWriteAsync(Bound);
    }

    [Test]
    public async Task A_pipelined_release_of_a_lost_lease_is_reported_and_thrown_by_the_next_enter()
    {
        using var l = new RedisRwLock(RedisFixture.Connection, NewName(), Options(leaseSeconds: 0.5) with { PipelinedRelease = true });
        var failures = new List<RedisReleaseFailedEventArgs>();
        l.ReleaseFailed += (_, e) =>
        {
            lock (failures)
            {
                failures.Add(e);
            }
        };
        var holder = l.CreateHolder();
        holder.EnterWrite();
        var stale = holder.WriteLease!;
        stale.StopRenewal(); // as if paused past its lease
        await using (var next = await l.AcquireWriteAsync(Bound))
        {
            holder.ExitWrite(); // does not wait, so cannot throw the loss here
        }

        Assert.That(await holder.LastRelease.WaitAsync(Bound), Is.False, "the server reported the lease gone");
        Assert.That(await EventuallyAsync(() => Task.FromResult(l.FailedPipelinedReleases == 1)), "the failure is counted");
        lock (failures)
        {
            Assert.That(failures, Has.Count.EqualTo(1));
            Assert.That(failures[0].Lease, Is.SameAs(stale));
            Assert.That(failures[0].Error, Is.InstanceOf<RedisLeaseLostException>());
        }

        var thrown = Assert.Throws<RedisLeaseLostException>(holder.EnterWrite, "the holder's next Enter throws the deferred loss");
        Assert.That(thrown!.Message, Does.Contain("pipelined"));
        Assert.That(holder.WriteLease, Is.Null, "nothing was acquired by the throwing Enter");
        holder.EnterWrite(); // thrown once, then the holder works again
        holder.ExitWrite();
        Assert.DoesNotThrow(holder.WaitForReleases);
    }

    [Test]
    public async Task A_pipelined_release_that_cannot_reach_redis_is_reported()
    {
        using var server = RedisServerProcess.Start();
        using var mux = RedisFixture.Connect(server.Endpoint);
        using var l = new RedisRwLock(mux, NewName(), Options() with { PipelinedRelease = true });
        var holder = l.CreateHolder();
        holder.EnterWrite();
        await server.SendAsync("SHUTDOWN NOSAVE").ContinueWith(_ => { });
        Assert.That(await EventuallyAsync(() => Task.FromResult(!mux.IsConnected)), "the connection noticed the shutdown");
        holder.ExitWrite(); // must not throw nor hang
        Assert.Throws<RedisLockUnavailableException>(holder.WaitForReleases, "the failed release is surfaced");
        Assert.That(l.FailedPipelinedReleases, Is.EqualTo(1));
        Assert.That(holder.WriteLease, Is.Null);
        await Task.CompletedTask;
    }
}
