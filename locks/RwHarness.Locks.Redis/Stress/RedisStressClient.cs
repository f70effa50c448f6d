using System.Globalization;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis.Stress;

/// <summary>Keys one stress run shares between the coordinator and its clients.</summary>
internal sealed class StressKeys
{
    public StressKeys(string run)
    {
        Run = run;
        LockName = run;
        StoreName = run + ":store";
        var d = "{" + run + ":detector}";
        Detector = [d + ":writers-in", d + ":readers-in", d + ":overlaps", d + ":ops"];
    }

    public string Run { get; }

    public string LockName { get; }

    public string StoreName { get; }

    /// <summary>writers-in, readers-in, overlaps, ops (see <c>Lua/stress_detector.lua</c>).</summary>
    public RedisKey[] Detector { get; }

    public RedisKey Overlaps => Detector[2];

    public RedisKey Ops => Detector[3];
}

/// <summary>Arguments of one client process (what the coordinator passes after the prefix).</summary>
internal sealed record StressClientArgs
{
    public string Endpoint { get; init; } = "127.0.0.1:6379";

    public string Run { get; init; } = "rwh-stress:manual";

    public int Client { get; init; }

    public RedisRwLockMode Mode { get; init; }

    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(2);

    public double ReadFraction { get; init; } = 0.5;

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public int Seed { get; init; }

    public string Role { get; init; } = "normal";

    public TimeSpan VictimAfter { get; init; } = TimeSpan.FromSeconds(1);

    public bool Unfenced { get; init; }

    public bool PipelinedRelease { get; init; }

    public IEnumerable<string> ToArguments()
    {
        var c = CultureInfo.InvariantCulture;
        yield return "--endpoint";
        yield return Endpoint;
        yield return "--run";
        yield return Run;
        yield return "--client";
        yield return Client.ToString(c);
        yield return "--mode";
        yield return Mode == RedisRwLockMode.WriterPreferring ? "writer" : "reader";
        yield return "--lease-ms";
        yield return ((long)Lease.TotalMilliseconds).ToString(c);
        yield return "--read-fraction";
        yield return ReadFraction.ToString(c);
        yield return "--duration-ms";
        yield return ((long)Duration.TotalMilliseconds).ToString(c);
        yield return "--seed";
        yield return Seed.ToString(c);
        yield return "--role";
        yield return Role;
        yield return "--victim-after-ms";
        yield return ((long)VictimAfter.TotalMilliseconds).ToString(c);
        if (Unfenced)
        {
            yield return "--unfenced";
        }

        if (PipelinedRelease)
        {
            yield return "--pipelined-release";
        }
    }

    public static StressClientArgs Parse(IReadOnlyList<string> args)
    {
        var c = CultureInfo.InvariantCulture;
        var a = new StressClientArgs();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            a = args[i] switch
            {
                "--endpoint" => a with { Endpoint = Next() },
                "--run" => a with { Run = Next() },
                "--client" => a with { Client = int.Parse(Next(), c) },
                "--mode" => a with { Mode = Next() == "reader" ? RedisRwLockMode.ReaderPreferring : RedisRwLockMode.WriterPreferring },
                "--lease-ms" => a with { Lease = TimeSpan.FromMilliseconds(long.Parse(Next(), c)) },
                "--read-fraction" => a with { ReadFraction = double.Parse(Next(), c) },
                "--duration-ms" => a with { Duration = TimeSpan.FromMilliseconds(long.Parse(Next(), c)) },
                "--seed" => a with { Seed = int.Parse(Next(), c) },
                "--role" => a with { Role = Next() },
                "--victim-after-ms" => a with { VictimAfter = TimeSpan.FromMilliseconds(long.Parse(Next(), c)) },
                "--unfenced" => a with { Unfenced = true },
                "--pipelined-release" => a with { PipelinedRelease = true },
                _ => throw new ArgumentException($"unknown client argument '{args[i]}'"),
            };
        }

        return a;
    }
}

/// <summary>The loop one client process runs: random reads and fenced read-modify-write increments under the lock.</summary>
internal sealed class StressClient
{
    private readonly StressClientArgs a;
    private readonly TextWriter output;
    private readonly TextReader input;
    private readonly Random rng;
    private readonly StressKeys keys;
    private readonly RedisValue detectorTtl;
    private long ops;
    private long reads;
    private long writes;
    private long errors;
    private long stale;
    private long lostLeases;
    private long overlapsSeen;
    private Task<bool>? pendingRelease;

    public StressClient(StressClientArgs args, TextWriter output, TextReader input)
    {
        a = args;
        this.output = output;
        this.input = input;
        rng = new Random(args.Seed);
        keys = new StressKeys(args.Run);

        // Shorter than the lease: a killed or paused holder leaves the detector before the lock can
        // be granted again, so only real exclusion failures count as overlaps.
        detectorTtl = (long)(args.Lease.TotalMilliseconds / 2);
    }

    public async Task<int> RunAsync()
    {
        using var mux = await ConnectionMultiplexer.ConnectAsync(RedisRwLockOptions.ConnectionFor(a.Endpoint, TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        var options = new RedisRwLockOptions { Mode = a.Mode, Lease = a.Lease, MaxBackoff = TimeSpan.FromMilliseconds(100) };
        using var rw = new RedisRwLock(mux, keys.LockName, options);
        var db = mux.GetDatabase();
        var store = new FencedStore(db, keys.StoreName);
        using var stop = new CancellationTokenSource(a.Duration);
        var started = DateTime.UtcNow;
        var victimDone = a.Role == "normal";
        var acquireTimeout = (a.Lease * 4) + TimeSpan.FromSeconds(5);
        Say("ready");
        var printedErrors = 0;
        while (!stop.IsCancellationRequested)
        {
            var victim = !victimDone && DateTime.UtcNow - started >= a.VictimAfter;
            var read = victim ? a.Role == "kill-reader" : rng.NextDouble() < a.ReadFraction;
            try
            {
                if (read)
                {
                    await ReadCycleAsync(rw, db, store, victim, acquireTimeout, stop.Token).ConfigureAwait(false);
                }
                else
                {
                    await WriteCycleAsync(rw, db, store, victim, acquireTimeout, stop.Token).ConfigureAwait(false);
                }

                victimDone |= victim;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is RedisRwLockException or TimeoutException or RedisException)
            {
                errors++;
                if (printedErrors++ < 5)
                {
                    Say($"error {e.GetType().Name}: {e.Message.Split('\n')[0]}");
                }

                try
                {
                    await Task.Delay(rng.Next(50, 200), stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await CheckPendingReleaseAsync().ConfigureAwait(false);
        Say($"report client={a.Client} ops={ops} reads={reads} writes={writes} errors={errors} stale={stale} lost-leases={lostLeases} overlaps-seen={overlapsSeen} wake-messages={rw.WakeMessages}");
        return 0;
    }

    private void Say(string line)
    {
        lock (output)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private async Task<long> DetectorAsync(IDatabase db, string op, string kind, string token)
    {
        var r = await RedisScripts.StressDetector.EvaluateAsync(db, keys.Detector, [op, kind, token, detectorTtl]).ConfigureAwait(false);
        return (long)r;
    }

    private async Task ReleaseAsync(RedisLease lease)
    {
        var release = lease.ReleaseAsync();
        if (a.PipelinedRelease)
        {
            // Issued on the connection; the next acquire is ordered after it and checks its answer.
            await CheckPendingReleaseAsync().ConfigureAwait(false);
            pendingRelease = release;
            return;
        }

        await CheckReleaseAsync(release).ConfigureAwait(false);
    }

    private async Task CheckPendingReleaseAsync()
    {
        if (pendingRelease is { } release)
        {
            pendingRelease = null;
            await CheckReleaseAsync(release).ConfigureAwait(false);
        }
    }

    private async Task CheckReleaseAsync(Task<bool> release)
    {
        try
        {
            if (!await release.ConfigureAwait(false))
            {
                lostLeases++;
            }
        }
        catch (RedisLockUnavailableException)
        {
            errors++;
        }
    }

    private async Task ReadCycleAsync(RedisRwLock rw, IDatabase db, FencedStore store, bool victim, TimeSpan timeout, CancellationToken ct)
    {
        var lease = await rw.AcquireReadAsync(timeout, ct).ConfigureAwait(false);
        await CheckPendingReleaseAsync().ConfigureAwait(false);
        try
        {
            overlapsSeen += await DetectorAsync(db, "enter", "r", lease.Token).ConfigureAwait(false);
            await db.StringGetAsync(store.ValueKey).ConfigureAwait(false);
            if (victim)
            {
                // Stay inside the critical section (lease renewed) until the coordinator kills us.
                Say("in-cs read");
                await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            }
            else if (rng.Next(4) == 0)
            {
                await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
            }

            await DetectorAsync(db, "exit", "r", lease.Token).ConfigureAwait(false);
            reads++;
            ops++;
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
    }

    private async Task WriteCycleAsync(RedisRwLock rw, IDatabase db, FencedStore store, bool victim, TimeSpan timeout, CancellationToken ct)
    {
        var lease = await rw.AcquireWriteAsync(timeout, ct).ConfigureAwait(false);
        await CheckPendingReleaseAsync().ConfigureAwait(false);
        try
        {
            overlapsSeen += await DetectorAsync(db, "enter", "w", lease.Token).ConfigureAwait(false);
            string? current;
            if (a.Unfenced)
            {
                current = await db.StringGetAsync(store.ValueKey).ConfigureAwait(false);
            }
            else
            {
                var r = await store.ReadAsync(lease.FencingToken).ConfigureAwait(false);
                if (!r.Accepted)
                {
                    stale++;
                    await DetectorAsync(db, "exit", "w", lease.Token).ConfigureAwait(false);
                    return;
                }

                current = r.Value;
            }

            var next = (string.IsNullOrEmpty(current) ? 0 : long.Parse(current, CultureInfo.InvariantCulture)) + 1;
            var pause = victim && a.Role == "pause-writer";
            if (victim && a.Role == "kill-writer")
            {
                Say("in-cs write");
                await Task.Delay(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
            }
            else if (pause)
            {
                // The coordinator SIGSTOPs us here (renewal stops with the process), waits until our
                // lease is gone and another writer has been in, SIGCONTs us and says "go".
                Say($"paused-in-cs fence={lease.FencingToken}");
                await input.ReadLineAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            else if (rng.Next(4) == 0)
            {
                await Task.Delay(1, CancellationToken.None).ConfigureAwait(false);
            }

            bool accepted;
            if (a.Unfenced)
            {
                await store.WriteUnfencedAsync(next.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
                accepted = true;
            }
            else
            {
                accepted = (await store.WriteAsync(lease.FencingToken, next.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false)).Accepted;
            }

            if (!accepted)
            {
                stale++;
            }

            if (pause)
            {
                Say(accepted ? "late-write accepted" : "late-write rejected");
            }

            await DetectorAsync(db, "exit", "w", lease.Token).ConfigureAwait(false);
            writes++;
            ops++;
        }
        finally
        {
            await ReleaseAsync(lease).ConfigureAwait(false);
        }
    }
}
