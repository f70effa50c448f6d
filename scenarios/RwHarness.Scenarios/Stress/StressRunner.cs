using System.Diagnostics;
using System.Globalization;
using System.Text;
using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Scenarios.Catalog;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Stress;

/// <summary>
/// Stress mode (in the style of OpenJDK's jcstress): runs a scenario's thread bodies on <see cref="RealSync"/>
/// with real threads, round after round, for a duration. Each round builds a fresh instance (new lock, new
/// probe), releases one worker thread per scenario thread through a start barrier, and grades what the
/// round's probe saw as one outcome: acceptable, interesting or forbidden. A watchdog bounds every round:
/// a round that does not finish in time is reported as stuck and its threads are abandoned (they are
/// background threads), so a stress run never hangs.
/// </summary>
public static class StressRunner
{
    /// <summary>The measurement of how many readers enter after a writer started waiting (not a catalogue scenario).</summary>
    public const string WriterPreferenceBound = "writer-preference-bound";

    /// <summary>
    /// Scenarios that make sense on real threads: their bodies need no scheduler view and they expect the lock
    /// to hold. Scenarios that expect a deadlock, an exception or a reachable state, or that steer the schedule
    /// (writer preference, reader-pass), are for the engine.
    /// </summary>
    public static bool IsStressable(Scenario scenario) =>
        scenario.Name.StartsWith("mutual-exclusion", StringComparison.Ordinal)
        || scenario.Name.StartsWith("progress-", StringComparison.Ordinal)
        || scenario.Name.StartsWith("go-hammer-", StringComparison.Ordinal)
        || scenario.Name.StartsWith("go-parallel-readers-", StringComparison.Ordinal);

    /// <summary>Whether <paramref name="scenario"/> runs on real threads with <paramref name="lockDescriptor"/>.</summary>
    public static bool Applies(Scenario scenario, LockDescriptor lockDescriptor) =>
        IsStressable(scenario) && scenario.Expect(lockDescriptor).Kind == ExpectationKind.Holds;

    /// <summary>A hammer sized by <paramref name="threads"/>: one writer and threads-1 readers, 20 iterations each per round.</summary>
    public static Scenario Hammer(int threads) => new GoHammer(Math.Max(1, threads - 1), 20);

    /// <summary>The stress set: the stressable scenarios of <paramref name="catalog"/> plus the hammer sized by <paramref name="threads"/>.</summary>
    public static IReadOnlyList<Scenario> DefaultScenarios(IEnumerable<Scenario> catalog, int threads)
    {
        var list = catalog.Where(IsStressable).ToList();
        var hammer = Hammer(threads);
        if (list.All(s => s.Name != hammer.Name))
        {
            list.Add(hammer);
        }
        return list;
    }

    /// <summary>Runs <paramref name="scenario"/> on <paramref name="lockDescriptor"/> with real threads.</summary>
    public static StressResult Run(LockDescriptor lockDescriptor, Scenario scenario, StressOptions options)
    {
        options.Validate();
        if (!Applies(scenario, lockDescriptor))
        {
            throw new ArgumentException($"scenario '{scenario.Name}' does not run on real threads with lock '{lockDescriptor.Name}'");
        }
        var clock = Stopwatch.StartNew();
        var first = scenario.Create<RealSync>(lockDescriptor);
        var n = first.Threads.Count;
        var readerThreads = first.Threads.Count(t => t.Name.StartsWith('R'));
        var pool = new RoundPool(n, $"stress {lockDescriptor.Name} {scenario.Name}", first.Threads.Select(t => t.Name).ToArray());
        var histogram = new OutcomeHistogram();
        long rounds = 0;
        long overlaps = 0;
        var maxReaders = 0;
        string? firstProblem = null;
        var stuck = false;
        try
        {
            var instance = first;
            while (true)
            {
                var probe = ProbeScenario.ProbeOf<RealSync>(instance);
                if (!pool.RunRound(instance, options.StuckAfter))
                {
                    stuck = true;
                    histogram.Add("stuck (watchdog)", Grades.Forbidden);
                    firstProblem = DescribeStuck(instance, rounds + 1, options.StuckAfter);
                    break;
                }
                rounds++;
                var roundOverlaps = probe?.Overlaps ?? 0;
                overlaps += roundOverlaps;
                maxReaders = Math.Max(maxReaders, probe?.MaxReadersTogether ?? 0);
                var (outcome, grade, detail) = Grade(instance, probe, pool.FirstError(), roundOverlaps, readerThreads);
                histogram.Add(outcome, grade);
                if (grade == Grades.Forbidden)
                {
                    firstProblem ??= $"round {rounds}: {detail}";
                }
                instance.Finished?.Invoke();
                if (clock.Elapsed >= options.Duration || rounds >= options.MaxRounds)
                {
                    break;
                }
                instance = scenario.Create<RealSync>(lockDescriptor);
            }
        }
        finally
        {
            pool.Stop();
        }
        clock.Stop();
        var failed = stuck || overlaps > 0 || histogram.AnyForbidden;
        return new StressResult
        {
            Lock = lockDescriptor.Name,
            Scenario = scenario.Name,
            Threads = n,
            DurationMs = (long)clock.Elapsed.TotalMilliseconds,
            Rounds = rounds,
            MaxReadersTogether = maxReaders,
            Overlaps = overlaps,
            Verdict = failed ? Verdicts.Fail : Verdicts.Pass,
            Outcomes = histogram.ToList(),
            Message = failed
                ? firstProblem ?? $"{overlaps} overlap(s) seen"
                : string.Create(CultureInfo.InvariantCulture, $"{rounds / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):0} rounds/s"),
        };
    }

    private static (string Outcome, string Grade, string Detail) Grade(ScenarioInstance instance, LockProbe<RealSync>? probe, Exception? error, long overlaps, int readerThreads)
    {
        if (error is ScenarioAssertionException a)
        {
            return ("assertion failed", Grades.Forbidden, a.Message);
        }
        if (error is not null)
        {
            return ($"exception: {error.GetType().Name}", Grades.Forbidden, $"{error.GetType().Name}: {error.Message}");
        }
        if (overlaps > 0)
        {
            return ("overlap (a writer shared the lock)", Grades.Forbidden, $"{overlaps} thread(s) entered beside a writer");
        }
        if (instance.Final?.Invoke() is { } final)
        {
            return ("final state wrong (lost update)", Grades.Forbidden, final);
        }
        if (instance.Invariant?.Invoke() is { } inv)
        {
            return ("invariant broken at the end", Grades.Forbidden, inv);
        }
        var k = probe?.MaxReadersTogether ?? 0;
        return k switch
        {
            0 => ("writer alone", Grades.Acceptable, ""),
            1 when readerThreads >= 2 => ("1 reader at a time (readers never shared)", Grades.Interesting, ""),
            1 => ("1 reader", Grades.Acceptable, ""),
            _ => ($"{k} readers together", Grades.Acceptable, ""),
        };
    }

    private static string DescribeStuck(ScenarioInstance instance, long round, TimeSpan after)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"stuck: round {round} did not finish within {after.TotalSeconds:0.###} s (watchdog); its threads were abandoned.");
        for (var i = 0; i < instance.Threads.Count; i++)
        {
            var what = instance.DescribeThread?.Invoke(i);
            sb.Append(' ').Append(instance.Threads[i].Name).Append(": ").Append(what ?? "not in the lock").Append(';');
        }
        if (instance.DescribeState?.Invoke() is { Length: > 0 } state)
        {
            sb.Append(" state: ").Append(state);
        }
        return sb.ToString();
    }

    /// <summary>
    /// Measures writer preference on real threads: readers hammer the read side while one writer repeatedly
    /// raises a flag and calls EnterWrite; every reader that enters while the flag is up counts as having
    /// passed the waiting writer. The result's Message states the measured bound (max, mean, p99). A lock
    /// that promises writer preference still shows a few: readers that were already on their way in when the
    /// writer raised the flag, before it announced itself to the lock.
    /// </summary>
    public static StressResult MeasureWriterPreference(LockDescriptor lockDescriptor, StressOptions options)
    {
        options.Validate();
        var lk = lockDescriptor.Create<RealSync>();
        var readerCount = Math.Max(2, options.Threads - 1);
        var shared = new PreferenceState();
        var perWrite = new Dictionary<long, long>();
        var histogram = new OutcomeHistogram();
        long writes = 0;
        var clock = Stopwatch.StartNew();

        void Reader()
        {
            while (!Volatile.Read(ref shared.Stop))
            {
                lk.EnterRead();
                var now = Interlocked.Increment(ref shared.ReadersInside);
                if (Volatile.Read(ref shared.WriterInside) != 0)
                {
                    Interlocked.Increment(ref shared.Overlaps);
                }
                int seen;
                while (now > (seen = Volatile.Read(ref shared.MaxReaders)) && Interlocked.CompareExchange(ref shared.MaxReaders, now, seen) != seen)
                {
                }
                if (Volatile.Read(ref shared.WriterWaiting) != 0)
                {
                    Interlocked.Increment(ref shared.Passed);
                }
                Thread.SpinWait(20);
                Interlocked.Decrement(ref shared.ReadersInside);
                lk.ExitRead();
            }
        }

        void Writer()
        {
            while (!Volatile.Read(ref shared.Stop))
            {
                Interlocked.Exchange(ref shared.Passed, 0);
                Volatile.Write(ref shared.WriterWaiting, 1);
                lk.EnterWrite();
                Volatile.Write(ref shared.WriterWaiting, 0);
                var passed = Interlocked.Exchange(ref shared.Passed, 0);
                Volatile.Write(ref shared.WriterInside, 1);
                if (Volatile.Read(ref shared.ReadersInside) != 0)
                {
                    Interlocked.Increment(ref shared.Overlaps);
                }
                Thread.SpinWait(50);
                Volatile.Write(ref shared.WriterInside, 0);
                lk.ExitWrite();
                lock (perWrite)
                {
                    perWrite[passed] = perWrite.GetValueOrDefault(passed) + 1;
                    writes++;
                }
                // Let the readers get going again before the next write.
                Thread.SpinWait(500);
            }
        }

        var threads = Enumerable.Range(0, readerCount).Select(i => new Thread(Reader) { IsBackground = true, Name = $"stress R{i}" })
            .Append(new Thread(Writer) { IsBackground = true, Name = "stress W" }).ToList();
        threads.ForEach(t => t.Start());
        Thread.Sleep(options.Duration);
        Volatile.Write(ref shared.Stop, true);
        var deadline = Stopwatch.GetTimestamp() + (long)(options.StuckAfter.TotalSeconds * Stopwatch.Frequency);
        var stuck = threads.Where(t => !t.Join(TimeSpan.FromTicks(Math.Max(0, (long)((deadline - Stopwatch.GetTimestamp()) * (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency))))).Select(t => t.Name).ToList();
        clock.Stop();

        Dictionary<long, long> counts;
        long total;
        lock (perWrite)
        {
            counts = new Dictionary<long, long>(perWrite);
            total = writes;
        }
        foreach (var (passed, count) in counts)
        {
            for (var i = 0; i < count; i++)
            {
                histogram.Add(Bucket(passed), passed == 0 ? Grades.Acceptable : Grades.Interesting);
            }
        }
        var overlaps = Interlocked.Read(ref shared.Overlaps);
        if (overlaps > 0)
        {
            histogram.Add("overlap (a writer shared the lock)", Grades.Forbidden);
        }
        if (stuck.Count > 0)
        {
            histogram.Add("stuck (watchdog)", Grades.Forbidden);
        }
        var max = counts.Count == 0 ? 0 : counts.Keys.Max();
        var mean = total == 0 ? 0 : counts.Sum(kv => (double)kv.Key * kv.Value) / total;
        var p99 = Percentile(counts, total, 0.99);
        var promise = lockDescriptor.Has(LockTraits.WriterPreferring)
            ? "the lock promises writer preference: these readers were on their way in before the writer announced itself"
            : "the lock does not promise writer preference";
        var message = string.Create(CultureInfo.InvariantCulture,
            $"writer preference: at most {max} reader(s) entered after a writer started waiting (mean {mean:0.##}, p99 {p99}, over {total} writes, {readerCount} reader threads); {promise}");
        if (stuck.Count > 0)
        {
            message = $"stuck: {string.Join(", ", stuck)} did not stop within {options.StuckAfter.TotalSeconds:0.###} s (watchdog); abandoned. " + message;
        }
        var failed = stuck.Count > 0 || overlaps > 0;
        return new StressResult
        {
            Lock = lockDescriptor.Name,
            Scenario = WriterPreferenceBound,
            Threads = readerCount + 1,
            DurationMs = (long)clock.Elapsed.TotalMilliseconds,
            Rounds = total,
            MaxReadersTogether = Volatile.Read(ref shared.MaxReaders),
            Overlaps = overlaps,
            Verdict = failed ? Verdicts.Fail : Verdicts.Pass,
            Outcomes = histogram.ToList(),
            Message = message,
        };
    }

    private static string Bucket(long passed) => passed switch
    {
        0 => "no reader passed the waiting writer",
        <= 3 => "1-3 readers passed the waiting writer",
        <= 15 => "4-15 readers passed the waiting writer",
        <= 255 => "16-255 readers passed the waiting writer",
        _ => "256+ readers passed the waiting writer",
    };

    private static long Percentile(Dictionary<long, long> counts, long total, double q)
    {
        if (total == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        foreach (var (value, count) in counts.OrderBy(kv => kv.Key))
        {
            seen += count;
            if (seen >= rank)
            {
                return value;
            }
        }
        return counts.Keys.Max();
    }

    private sealed class PreferenceState
    {
        public bool Stop;
        public int WriterWaiting;
        public int WriterInside;
        public int ReadersInside;
        public int MaxReaders;
        public long Passed;
        public long Overlaps;
    }

    /// <summary>
    /// One worker thread per scenario thread, reused across rounds. A round: the coordinator publishes the
    /// instance and releases every worker; the workers meet at a start barrier, run their bodies and count
    /// down; the coordinator waits with a timeout (the watchdog).
    /// </summary>
    private sealed class RoundPool
    {
        private readonly int n;
        private readonly SemaphoreSlim[] go;
        private readonly CountdownEvent done;
        private readonly Exception?[] errors;
        private ScenarioInstance? current;
        private int arrived;
        private volatile bool stopping;
        private bool abandoned;

        public RoundPool(int threads, string name, string[] threadNames)
        {
            n = threads;
            go = [.. Enumerable.Range(0, n).Select(_ => new SemaphoreSlim(0))];
            done = new CountdownEvent(n);
            errors = new Exception?[n];
            for (var i = 0; i < n; i++)
            {
                var id = i;
                new Thread(() => Work(id)) { IsBackground = true, Name = $"{name} {threadNames[id]}" }.Start();
            }
        }

        public bool RunRound(ScenarioInstance instance, TimeSpan timeout)
        {
            Array.Clear(errors);
            Volatile.Write(ref arrived, 0);
            done.Reset(n);
            Volatile.Write(ref current, instance);
            foreach (var g in go)
            {
                g.Release();
            }
            if (done.Wait(timeout))
            {
                return true;
            }
            abandoned = true;
            return false;
        }

        public Exception? FirstError() => errors.FirstOrDefault(e => e is not null);

        /// <summary>Lets idle workers exit. Workers stuck in a lock stay where they are (background threads).</summary>
        public void Stop()
        {
            stopping = true;
            foreach (var g in go)
            {
                g.Release();
            }
            if (!abandoned)
            {
                // Every worker is idle or leaving: nothing else will signal the countdown.
                done.Dispose();
            }
        }

        private void Work(int id)
        {
            while (true)
            {
                go[id].Wait();
                if (stopping)
                {
                    return;
                }
                var body = Volatile.Read(ref current)!.Threads[id].Body;
                // Start barrier: every thread of the round begins together, so their operations overlap.
                Interlocked.Increment(ref arrived);
                var spin = new SpinWait();
                while (Volatile.Read(ref arrived) < n && !stopping)
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
                try
                {
                    body();
                }
                catch (Exception e)
                {
                    errors[id] = e;
                }
                finally
                {
                    if (!stopping)
                    {
                        done.Signal();
                    }
                }
            }
        }
    }
}
