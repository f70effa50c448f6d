using System.Diagnostics;
using System.Globalization;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis;

/// <summary>
/// Lock cycles per second (acquire + release) of <see cref="RedisRwLock"/>, with 1 and 8 clients: with the release
/// awaited (two round trips per cycle), and pipelined (the release is sent and the next acquire follows without
/// waiting for its reply; its answer is checked when the next acquire has returned).
/// </summary>
public sealed record RedisThroughputResult(
    double ReadCyclesPerSecond1,
    double WriteCyclesPerSecond1,
    double ReadCyclesPerSecond8,
    double WriteCyclesPerSecond8,
    double PipelinedReadCyclesPerSecond1 = 0,
    double PipelinedWriteCyclesPerSecond1 = 0,
    double PipelinedReadCyclesPerSecond8 = 0,
    double PipelinedWriteCyclesPerSecond8 = 0,
    double ClientEvalShaPerSecond1 = 0)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"read 1 client {ReadCyclesPerSecond1:0}/s, write 1 client {WriteCyclesPerSecond1:0}/s, read 8 clients {ReadCyclesPerSecond8:0}/s, write 8 clients {WriteCyclesPerSecond8:0}/s; pipelined release: read 1 client {PipelinedReadCyclesPerSecond1:0}/s, write 1 client {PipelinedWriteCyclesPerSecond1:0}/s, read 8 clients {PipelinedReadCyclesPerSecond8:0}/s, write 8 clients {PipelinedWriteCyclesPerSecond8:0}/s; bare EVALSHA round trips from this client {ClientEvalShaPerSecond1:0}/s");
}

/// <summary>What <c>redis-benchmark</c> measured for one command.</summary>
public sealed record RedisBenchmarkResult(string Command, double RequestsPerSecond, string RawOutput);

/// <summary>
/// Throughput measurements for <c>rwharness bench</c>: lock cycles/s against a given endpoint, and the
/// server's own EVALSHA rate from <c>redis-benchmark</c> in the same run (the ceiling a one-round-trip
/// operation can reach from one client).
/// </summary>
public static class RedisThroughput
{
    /// <summary>
    /// Read and write cycles/s with 1 and 8 clients, release awaited and pipelined, each client its own connection
    /// and its own lock instance on one shared lock name, uncontended for 1 client and contended for 8.
    /// Every cell is first run briefly once (JIT, connections, scripts), then each cell is measured for
    /// <paramref name="perCell"/> after its own short warm-up.
    /// </summary>
    public static async Task<RedisThroughputResult> MeasureAsync(string endpoint, TimeSpan perCell, RedisRwLockMode mode = RedisRwLockMode.WriterPreferring, CancellationToken cancellationToken = default)
    {
        // A process-wide warm-up first: otherwise the first cells of a fresh process are measured while the
        // JIT is still recompiling the hot path (on 2 cores that alone halved the first write cell).
        var cells = new (RedisLeaseKind Kind, int Clients, bool Pipelined)[]
        {
            (RedisLeaseKind.Read, 1, false), (RedisLeaseKind.Write, 1, false), (RedisLeaseKind.Read, 8, false), (RedisLeaseKind.Write, 8, false),
            (RedisLeaseKind.Read, 1, true), (RedisLeaseKind.Write, 1, true), (RedisLeaseKind.Read, 8, true), (RedisLeaseKind.Write, 8, true),
        };
        foreach (var (kind, clients, pipelined) in cells)
        {
            await MeasureCyclesAsync(endpoint, kind, clients, TimeSpan.FromMilliseconds(100), mode, pipelined, cancellationToken).ConfigureAwait(false);
        }

        // The same client stack's own round-trip rate, before and after the cells (their mean): the ceiling of one
        // awaited round trip from one client here, next to redis-benchmark's (a C client) from the caller.
        var evalshaBefore = await MeasureClientEvalShaAsync(endpoint, perCell, cancellationToken).ConfigureAwait(false);
        var rates = new double[cells.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            rates[i] = await MeasureCyclesAsync(endpoint, cells[i].Kind, cells[i].Clients, perCell, mode, cells[i].Pipelined, cancellationToken).ConfigureAwait(false);
        }

        var evalshaAfter = await MeasureClientEvalShaAsync(endpoint, perCell, cancellationToken).ConfigureAwait(false);
        return new RedisThroughputResult(rates[0], rates[1], rates[2], rates[3], rates[4], rates[5], rates[6], rates[7], (evalshaBefore + evalshaAfter) / 2);
    }

    /// <summary>
    /// Awaited EVALSHA round trips/s of one StackExchange.Redis client running the lock's read-acquire script with a
    /// fixed token (the command redis-benchmark runs in <see cref="RunRedisBenchmarkEvalShaAsync"/>).
    /// </summary>
    public static async Task<double> MeasureClientEvalShaAsync(string endpoint, TimeSpan duration, CancellationToken cancellationToken = default)
    {
        await using var mux = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
        var db = mux.GetDatabase();
        await RedisScripts.ReadAcquire.LoadAsync(mux).ConfigureAwait(false);
        var prefix = "rwh-bench:{" + Guid.NewGuid().ToString("N")[..8] + "}";
        RedisKey[] keys = [prefix + ":writer", prefix + ":readers", prefix + ":intents", prefix + ":rwait"];
        RedisValue[] args = ["bench-token", 10000, "w", 0, "0"];
        await RunAsync(TimeSpan.FromMilliseconds(150)).ConfigureAwait(false);
        var start = Stopwatch.GetTimestamp();
        var n = await RunAsync(duration).ConfigureAwait(false);
        return n / Stopwatch.GetElapsedTime(start).TotalSeconds;

        async Task<long> RunAsync(TimeSpan length)
        {
            long count = 0;
            var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await RedisScripts.ReadAcquire.EvaluateAsync(db, keys, args).ConfigureAwait(false);
                count++;
            }

            return count;
        }
    }

    /// <summary>
    /// Cycles/s (acquire, then release) of <paramref name="clients"/> concurrent clients taking one side of the lock.
    /// With <paramref name="pipelinedRelease"/> the release is not awaited before the next acquire is sent (the next
    /// acquire is ordered after it on the connection); its reply is checked once that acquire has returned.
    /// </summary>
    public static async Task<double> MeasureCyclesAsync(string endpoint, RedisLeaseKind kind, int clients, TimeSpan duration, RedisRwLockMode mode = RedisRwLockMode.WriterPreferring, bool pipelinedRelease = false, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(clients, 1);
        var name = "rwh-bench:" + Guid.NewGuid().ToString("N")[..8];
        var options = new RedisRwLockOptions { Mode = mode }; // the defaults: 10 s lease, 10-250 ms backoff (= wake window 10 ms)
        var muxes = new List<ConnectionMultiplexer>();
        var locks = new List<RedisRwLock>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var mux = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
                muxes.Add(mux);
                locks.Add(new RedisRwLock(mux, name, options));
            }

            // Warm-up: connect, subscribe, load scripts, JIT.
            await Task.WhenAll(locks.Select(l => RunAsync(l, TimeSpan.FromMilliseconds(150)))).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            var counts = await Task.WhenAll(locks.Select(l => RunAsync(l, duration))).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            return counts.Sum() / seconds;
        }
        finally
        {
            foreach (var l in locks)
            {
                l.Dispose();
            }

            foreach (var m in muxes)
            {
                await m.DisposeAsync().ConfigureAwait(false);
            }
        }

        async Task<long> RunAsync(RedisRwLock l, TimeSpan length)
        {
            long n = 0;
            Task<bool>? pending = null;
            var end = Stopwatch.GetTimestamp() + (long)(length.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < end)
            {
                cancellationToken.ThrowIfCancellationRequested();
                RedisLease lease = kind == RedisLeaseKind.Read
                    ? await l.AcquireReadAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false)
                    : await l.AcquireWriteAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
                if (pending is not null)
                {
                    // Answered by now: the previous release was ordered before this acquire.
                    await CheckReleasedAsync(pending).ConfigureAwait(false);
                }

                pending = lease.ReleaseAsync();
                if (!pipelinedRelease)
                {
                    await CheckReleasedAsync(pending).ConfigureAwait(false);
                    pending = null;
                }

                n++;
            }

            if (pending is not null)
            {
                await CheckReleasedAsync(pending).ConfigureAwait(false);
            }

            return n;
        }
    }

    private static async Task CheckReleasedAsync(Task<bool> release)
    {
        if (!await release.ConfigureAwait(false))
        {
            throw new RedisLeaseLostException("a lease expired during the throughput measurement (its release found it gone)");
        }
    }

    /// <summary>
    /// Runs <c>redis-benchmark -h HOST -p PORT -n N -c C --csv EVALSHA &lt;read_acquire&gt; 4 … </c> (the lock's own
    /// read-acquire script, loaded first, with a fixed token so the set stays one member) and parses requests/s.
    /// </summary>
    public static async Task<RedisBenchmarkResult> RunRedisBenchmarkEvalShaAsync(string endpoint, int requests = 20_000, int clients = 1, string? executable = null, CancellationToken cancellationToken = default)
    {
        await using (var mux = await ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false))
        {
            await RedisScripts.ReadAcquire.LoadAsync(mux).ConfigureAwait(false);
        }

        var prefix = "rwh-bench:{" + Guid.NewGuid().ToString("N")[..8] + "}";
        return await RunRedisBenchmarkAsync(
            endpoint,
            requests,
            clients,
            ["EVALSHA", RedisScripts.ReadAcquire.Sha1Hex, "4", prefix + ":writer", prefix + ":readers", prefix + ":intents", prefix + ":rwait", "bench-token", "10000", "w", "0", "0"],
            executable,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <c>redis-benchmark --csv</c> with one custom command and parses its requests/s.</summary>
    public static async Task<RedisBenchmarkResult> RunRedisBenchmarkAsync(string endpoint, int requests, int clients, IReadOnlyList<string> command, string? executable = null, CancellationToken cancellationToken = default)
    {
        executable ??= RedisServerProcess.FindOnPath("redis-benchmark") ?? throw new FileNotFoundException("redis-benchmark is not on PATH");
        var (host, port) = SplitEndpoint(endpoint);
        var info = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-h", host, "-p", port, "-n", requests.ToString(CultureInfo.InvariantCulture), "-c", clients.ToString(CultureInfo.InvariantCulture), "--csv" }.Concat(command))
        {
            info.ArgumentList.Add(a);
        }

        using var p = Process.Start(info) ?? throw new InvalidOperationException("redis-benchmark did not start");
        var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await p.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill();
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        return new RedisBenchmarkResult(string.Join(' ', command), ParseCsvRequestsPerSecond(output) ?? throw new InvalidOperationException($"could not parse redis-benchmark output: {output} {await stderr.ConfigureAwait(false)}"), output);
    }

    /// <summary>The rps column of the first data row of <c>redis-benchmark --csv</c> output ("test","rps",...).</summary>
    public static double? ParseCsvRequestsPerSecond(string csv)
    {
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("\"test\"", StringComparison.Ordinal))
            {
                continue;
            }

            // "COMMAND","12345.67",... — the command itself contains no '","'.
            var parts = line.Split("\",\"");
            if (parts.Length >= 2 && double.TryParse(parts[1].Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var rps))
            {
                return rps;
            }
        }

        return null;
    }

    private static (string Host, string Port) SplitEndpoint(string endpoint)
    {
        var i = endpoint.LastIndexOf(':');
        return i < 0 ? (endpoint, "6379") : (endpoint[..i], endpoint[(i + 1)..]);
    }

    /// <summary>Connects with the lock's recommended settings and waits (up to 10 s) for both links, as a lock does before first use.</summary>
    private static async Task<ConnectionMultiplexer> ConnectAsync(string endpoint, CancellationToken cancellationToken)
    {
        var mux = await ConnectionMultiplexer.ConnectAsync(RedisRwLockOptions.ConnectionFor(endpoint)).ConfigureAwait(false);
        await RedisLinks.WaitUntilUpAsync(mux, default, TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        return mux;
    }
}
