using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using StackExchange.Redis;

namespace RwHarness.Locks.Redis.Stress;

/// <summary>
/// The multi-process stress of <see cref="RedisRwLock"/> against a real redis-server: what
/// <c>rwharness redis-stress</c> runs.
/// </summary>
/// <remarks>
/// <para><b>Coordinator</b> — <see cref="RunCoordinator"/>(<see cref="RedisStressOptions"/>, <see cref="TextWriter"/>) :
/// exit code. It starts a throwaway redis-server unless <see cref="RedisStressOptions.Endpoint"/> is given,
/// spawns <see cref="RedisStressOptions.Clients"/> processes as
/// <c>ClientExecutable ClientArgumentPrefix... CLIENT-ARGS</c>, injects the requested
/// <see cref="RedisStressFaults"/>, waits for the clients (bounded), then checks the shared state and prints,
/// as its last line, exactly <c>redis-stress: ops=N overlaps=N lost-updates=N</c>.
/// Exit code 0: every check held (no overlap, no lost update, no leaked lease, each fault took effect and the
/// others went on). 1: something did not hold (including the expected detection of
/// <see cref="RedisStressOptions.Unfenced"/> + <see cref="RedisStressFaults.PauseWriter"/>). 2: bad options.</para>
/// <para>CLI mapping: <c>--clients N</c> Clients, <c>--duration S</c> Duration, <c>--endpoint H:P</c> Endpoint,
/// <c>--mode writer|reader</c> Mode, <c>--lease MS</c> Lease, <c>--read-fraction F</c> ReadFraction,
/// <c>--kill-reader --kill-writer --pause-writer --restart-server</c> Faults, <c>--unfenced</c> Unfenced,
/// <c>--seed N</c> Seed. The CLI passes its own executable as ClientExecutable and a hidden verb (for example
/// <c>redis-stress-client</c>) as ClientArgumentPrefix, and calls <see cref="RunClient"/> with the arguments after
/// that verb; the test project uses <c>dotnet RwHarness.Locks.Redis.StressClient.dll</c>.</para>
/// <para><b>Client</b> — <see cref="RunClient"/>(args, stdout, stdin) : exit code. Until its duration ends it
/// takes the read lock (reads the value) or the write lock (a non-atomic read-modify-write: fenced read, then
/// fenced write of value+1), and records each critical section in an overlap detector kept in Redis apart from
/// the lock's own keys. It speaks a line protocol on stdout: <c>ready</c>, <c>error TYPE: message</c>,
/// <c>in-cs read|write</c> and <c>paused-in-cs fence=F</c> (victims), <c>late-write accepted|rejected</c>,
/// and finally <c>report client=K ops=… reads=… writes=… errors=… stale=… lost-leases=…</c>.</para>
/// <para>Lost updates are counted on the server: every accepted write increments a counter in the same script
/// that stores value+1, so <c>lost-updates = accepted writes - final value</c> whatever happened to the clients.</para>
/// </remarks>
public static class RedisStress
{
    private const int SIGCONT = 18;
    private const int SIGSTOP = 19;

    /// <summary>Runs one stress; prints progress and the final line to <paramref name="output"/>; returns 0, 1 or 2 (see the class remarks).</summary>
    public static int RunCoordinator(RedisStressOptions options, TextWriter output)
    {
        try
        {
            return RunCoordinatorAsync(options, output).GetAwaiter().GetResult().Passed ? 0 : 1;
        }
        catch (ArgumentException e)
        {
            output.WriteLine($"redis-stress: {e.Message}");
            return 2;
        }
    }

    /// <summary>Runs one client process's loop (see the class remarks). Returns 0, or 2 for bad arguments.</summary>
    public static int RunClient(string[] args, TextWriter output, TextReader input)
    {
        StressClientArgs parsed;
        try
        {
            parsed = StressClientArgs.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            output.WriteLine($"redis-stress-client: {e.Message}");
            return 2;
        }

        return new StressClient(parsed, output, input).RunAsync().GetAwaiter().GetResult();
    }

    /// <summary>The coordinator, returning what it measured. Throws <see cref="ArgumentException"/> for bad options.</summary>
    public static async Task<RedisStressResult> RunCoordinatorAsync(RedisStressOptions o, TextWriter output, CancellationToken cancellationToken = default)
    {
        var victims = new List<string>();
        if (o.Faults.HasFlag(RedisStressFaults.KillReader))
        {
            victims.Add("kill-reader");
        }

        if (o.Faults.HasFlag(RedisStressFaults.KillWriter))
        {
            victims.Add("kill-writer");
        }

        if (o.Faults.HasFlag(RedisStressFaults.PauseWriter))
        {
            victims.Add("pause-writer");
        }

        if (o.Clients < 2 || o.Clients < victims.Count + 1)
        {
            throw new ArgumentException($"--clients must be at least 2 and at least one more than the {victims.Count} victim fault(s)");
        }

        if (o.Duration <= TimeSpan.Zero || o.Lease < TimeSpan.FromMilliseconds(300))
        {
            throw new ArgumentException("--duration must be positive and --lease at least 300 ms");
        }

        // Each victim blocks the others for up to a lease, and the pause needs another writer to get in
        // afterwards: shorter runs end before a fault can be judged.
        var minimum = o.Lease * 3 * Math.Max(1, victims.Count);
        if (victims.Count > 0 && o.Duration < minimum)
        {
            throw new ArgumentException($"--duration must be at least {minimum.TotalSeconds:0.#} s (3 leases per victim fault) to judge the faults");
        }

        if (o.Faults.HasFlag(RedisStressFaults.RestartServer) && o.Endpoint is not null)
        {
            throw new ArgumentException("--restart-server needs a server the stress starts itself (omit --endpoint)");
        }

        if (o.ReadFraction is < 0 or > 1)
        {
            throw new ArgumentException("--read-fraction must be within [0, 1]");
        }

        using var server = o.Endpoint is null ? RedisServerProcess.Start(o.RedisServerExecutable) : null;
        var endpoint = o.Endpoint ?? server!.Endpoint;
        var keys = new StressKeys("rwh-stress:" + Guid.NewGuid().ToString("N")[..8]);
        using var mux = await ConnectionMultiplexer.ConnectAsync(RedisRwLockOptions.ConnectionFor(endpoint)).ConfigureAwait(false);
        var db = mux.GetDatabase();
        var store = new FencedStore(db, keys.StoreName);
        using var rw = new RedisRwLock(mux, keys.LockName, new RedisRwLockOptions { Mode = o.Mode, Lease = o.Lease });
        var problems = new ConcurrentQueue<string>();
        var sink = TextWriter.Synchronized(output);
        sink.WriteLine($"redis-stress: {o.Clients} clients, {o.Duration.TotalSeconds:0.#} s, {o.Mode}, lease {o.Lease.TotalMilliseconds:0} ms, faults={o.Faults}{(o.Unfenced ? ", unfenced" : string.Empty)}{(o.PipelinedRelease ? ", pipelined release" : string.Empty)}, server {endpoint}{(server is null ? string.Empty : " (own)")}");

        var clients = new List<StressProcess>();
        for (var i = 0; i < o.Clients; i++)
        {
            var role = i < victims.Count ? victims[i] : "normal";
            var args = new StressClientArgs
            {
                Endpoint = endpoint,
                Run = keys.Run,
                Client = i,
                Mode = o.Mode,
                Lease = o.Lease,
                ReadFraction = o.ReadFraction,
                Duration = o.Duration,
                Seed = unchecked(o.Seed + i),
                Role = role,
                VictimAfter = role == "pause-writer" ? o.Duration * 0.2 : o.Duration * 0.3,
                Unfenced = o.Unfenced,
                PipelinedRelease = o.PipelinedRelease,
            };
            clients.Add(StressProcess.Start(i, role, o.ClientExecutable, [.. o.ClientArgumentPrefix, .. args.ToArguments()]));
        }

        var faultTasks = new ConcurrentBag<Task>();
        long opsAtKill = -1;
        long opsAtRestart = -1;
        var lateWrite = "none";
        var ready = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pumps = clients.Select(c => c.PumpAsync(line => OnLine(c, line))).ToList();

        if (o.Faults.HasFlag(RedisStressFaults.RestartServer))
        {
            faultTasks.Add(Task.Run(
                async () =>
                {
                    // Restart once the clients are connected and working (bounded wait for their start-up).
                    await Task.WhenAny(allReady.Task, Task.Delay(TimeSpan.FromSeconds(20), cancellationToken)).ConfigureAwait(false);
                    await Task.Delay(o.Duration * 0.3, cancellationToken).ConfigureAwait(false);
                    opsAtRestart = await ReadLongAsync(db, keys.Ops).ConfigureAwait(false);
                    sink.WriteLine($"fault: restarting redis-server (SHUTDOWN SAVE, 1 s down) after {opsAtRestart} ops");
                    await server!.RestartAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                    sink.WriteLine("fault: redis-server is back");
                },
                cancellationToken));
        }

        // Bounded: the clients stop by themselves at the end of the duration; victims stall at most 30 s.
        var waitLimit = o.Duration + TimeSpan.FromSeconds(60);
        var all = Task.WhenAll(clients.Select(c => c.Process.WaitForExitAsync(cancellationToken)));
        if (await Task.WhenAny(all, Task.Delay(waitLimit, cancellationToken)).ConfigureAwait(false) != all)
        {
            problems.Enqueue($"clients still running after {waitLimit.TotalSeconds:0} s: killed");
            foreach (var c in clients)
            {
                c.Kill();
            }
        }

        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(faultTasks).WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            problems.Enqueue($"fault injection failed: {e.Message}");
        }

        // Leases of killed or paused holders must age out: nothing may stay held once every client is gone.
        var state = await WaitForLockClearAsync(rw, o.Lease * 2 + TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        if (state.WriterHeld || state.Readers != 0)
        {
            problems.Enqueue($"lock still held after every client ended (leaked lease): {state}");
        }

        var ops = await ReadLongAsync(db, keys.Ops).ConfigureAwait(false);
        var overlaps = await ReadLongAsync(db, keys.Overlaps).ConfigureAwait(false);
        var value = await ReadLongAsync(db, store.ValueKey).ConfigureAwait(false);
        var accepted = await ReadLongAsync(db, store.WritesKey).ConfigureAwait(false);
        var lost = accepted - value;

        foreach (var c in clients)
        {
            if (c.Killed)
            {
                continue;
            }

            if (c.Report is null)
            {
                problems.Enqueue($"client {c.Index} ({c.Role}) ended without a report (exit code {c.ExitCode})");
            }
            else
            {
                sink.WriteLine($"  {c.Report}");
            }
        }

        var errors = clients.Sum(c => c.Errors);
        if (victims.Contains("kill-reader") || victims.Contains("kill-writer"))
        {
            var killed = clients.Count(c => c.Killed);
            if (killed != victims.Count(v => v.StartsWith("kill", StringComparison.Ordinal)))
            {
                problems.Enqueue($"only {killed} victim(s) were killed inside their critical section");
            }
            else if (ops <= opsAtKill)
            {
                problems.Enqueue($"no client made progress after the kill ({ops} ops, {opsAtKill} at the kill)");
            }
            else
            {
                sink.WriteLine($"fault: {ops - opsAtKill} critical sections completed after the kill; no leaked lease ({state})");
            }
        }

        if (o.Faults.HasFlag(RedisStressFaults.PauseWriter))
        {
            if (o.Unfenced)
            {
                sink.WriteLine($"fault: unfenced paused writer's late write was {lateWrite}; lost updates detected: {lost}");
            }
            else if (lateWrite != "rejected")
            {
                problems.Enqueue($"the paused writer's late write was {lateWrite}, expected rejected by the fencing token");
            }
            else
            {
                sink.WriteLine("fault: the paused writer's late write was rejected by the fencing token");
            }
        }

        if (o.Faults.HasFlag(RedisStressFaults.RestartServer))
        {
            if (opsAtRestart < 0 || ops <= opsAtRestart)
            {
                problems.Enqueue($"no progress after the restart ({ops} ops, {opsAtRestart} before it)");
            }
            else
            {
                var sample = clients.Select(c => c.FirstError).FirstOrDefault(e => e is not null) ?? "none";
                sink.WriteLine($"fault: clients saw {errors} error(s) around the restart (first: {Brief(sample)}) and completed {ops - opsAtRestart} critical sections after it");
            }
        }

        if (lost < 0)
        {
            problems.Enqueue($"value {value} exceeds accepted writes {accepted}");
        }

        foreach (var p in problems)
        {
            sink.WriteLine($"problem: {p}");
        }

        var result = new RedisStressResult(ops, overlaps, Math.Max(0, lost), overlaps == 0 && lost == 0 && problems.IsEmpty, [.. problems]);
        sink.WriteLine(result.ToString());
        return result;

        void OnLine(StressProcess c, string line)
        {
            if (o.Verbose)
            {
                sink.WriteLine($"  [{c.Index}] {line}");
            }

            if (line.StartsWith("report ", StringComparison.Ordinal))
            {
                c.Report = line;
            }
            else if (line == "ready")
            {
                if (Interlocked.Increment(ref ready) == clients.Count)
                {
                    allReady.TrySetResult();
                }
            }
            else if (line.StartsWith("error ", StringComparison.Ordinal))
            {
                c.Errors++;
                c.FirstError ??= line;
                if (c.Errors <= 2)
                {
                    sink.WriteLine($"  client {c.Index}: {Brief(line)}");
                }
            }
            else if (line.StartsWith("in-cs ", StringComparison.Ordinal) && c.Role.StartsWith("kill", StringComparison.Ordinal))
            {
                c.Kill();
                opsAtKill = ReadLongAsync(db, keys.Ops).GetAwaiter().GetResult();
                sink.WriteLine($"fault: kill -9 client {c.Index} inside its critical section ({line["in-cs ".Length..]}) after {opsAtKill} ops");
            }
            else if (line.StartsWith("paused-in-cs fence=", StringComparison.Ordinal))
            {
                var fence = long.Parse(line["paused-in-cs fence=".Length..], CultureInfo.InvariantCulture);
                faultTasks.Add(Task.Run(() => PauseAsync(c, fence), cancellationToken));
            }
            else if (line.StartsWith("late-write ", StringComparison.Ordinal))
            {
                lateWrite = line["late-write ".Length..];
            }
        }

        async Task PauseAsync(StressProcess c, long fence)
        {
            Signal(c.Process.Id, SIGSTOP);
            sink.WriteLine($"fault: SIGSTOP client {c.Index} (writer, fence {fence}) between its read and its write");

            // Hold it stopped until its lease is gone and a newer writer has been granted the lock (the lock's
            // own counter, fenced or not) and has completed a write (the store's accepted-writes counter;
            // nobody else can write while the paused writer's lease is live).
            var writesAtPause = await ReadLongAsync(db, store.WritesKey).ConfigureAwait(false);
            var deadline = Stopwatch.GetTimestamp() + (long)((o.Lease * 4 + TimeSpan.FromSeconds(15)).TotalSeconds * Stopwatch.Frequency);
            var newest = fence;
            var writesNow = writesAtPause;
            while (Stopwatch.GetTimestamp() < deadline)
            {
                newest = (await rw.InspectAsync().ConfigureAwait(false)).LastFencingToken;
                writesNow = await ReadLongAsync(db, store.WritesKey).ConfigureAwait(false);
                if (newest > fence && writesNow > writesAtPause)
                {
                    break;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }

            if (newest <= fence || writesNow <= writesAtPause)
            {
                problems.Enqueue("no other writer took over while the paused writer was stopped");
            }

            Signal(c.Process.Id, SIGCONT);
            sink.WriteLine($"fault: SIGCONT client {c.Index}; a newer writer (fence {newest}) has been in");
            await c.SendLineAsync("go").ConfigureAwait(false);
        }
    }

    private static string Brief(string text) => text.Length <= 240 ? text : text[..240] + "…";

    private static async Task<RedisRwLockState> WaitForLockClearAsync(RedisRwLock rw, TimeSpan limit)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var state = await rw.InspectAsync().ConfigureAwait(false);
            if ((!state.WriterHeld && state.Readers == 0) || Stopwatch.GetTimestamp() >= deadline)
            {
                return state;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<long> ReadLongAsync(IDatabase db, RedisKey key)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var v = await db.StringGetAsync(key).ConfigureAwait(false);
                return v.IsNullOrEmpty ? 0 : long.Parse((string)v!, CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (RedisRwLock.IsUnavailable(e) && attempt < 50)
            {
                // The server may be restarting: bounded retry.
                await Task.Delay(200).ConfigureAwait(false);
            }
        }
    }

    private static void Signal(int pid, int signal)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("SIGSTOP/SIGCONT injection needs Linux");
        }

        if (NativeMethods.kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
#pragma warning disable SA1300, IDE1006 // the libc name
        public static extern int kill(int pid, int sig);
#pragma warning restore SA1300, IDE1006
    }

    /// <summary>One client process and what the coordinator learned from its output.</summary>
    private sealed class StressProcess
    {
        private StressProcess(int index, string role, Process process)
        {
            Index = index;
            Role = role;
            Process = process;
        }

        public int Index { get; }

        public string Role { get; }

        public Process Process { get; }

        public string? Report { get; set; }

        public int Errors { get; set; }

        public string? FirstError { get; set; }

        public bool Killed { get; private set; }

        public int? ExitCode => Process.HasExited ? Process.ExitCode : null;

        public static StressProcess Start(int index, string role, string executable, IEnumerable<string> args)
        {
            var info = new ProcessStartInfo(executable)
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            var p = Process.Start(info) ?? throw new InvalidOperationException($"could not start client {index}");
            p.ErrorDataReceived += (_, _) => { };
            p.BeginErrorReadLine();
            return new StressProcess(index, role, p);
        }

        public void Kill()
        {
            try
            {
                Killed = true;
                Process.Kill(); // SIGKILL
            }
            catch (InvalidOperationException)
            {
            }
        }

        public async Task SendLineAsync(string line)
        {
            try
            {
                await Process.StandardInput.WriteLineAsync(line).ConfigureAwait(false);
                await Process.StandardInput.FlushAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
            }
        }

        public async Task PumpAsync(Action<string> onLine)
        {
            while (await Process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                onLine(line);
            }
        }
    }
}
