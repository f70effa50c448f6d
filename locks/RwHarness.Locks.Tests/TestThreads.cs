using System.Runtime.ExceptionServices;

namespace RwHarness.Locks.Tests;

/// <summary>Runs bodies on real threads and joins them with a timeout, so a broken lock fails a test instead of hanging it.</summary>
internal static class TestThreads
{
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <paramref name="threads"/> threads each run <paramref name="iterations"/> critical sections entered with
    /// <paramref name="enter"/> (every 16th tries <paramref name="tryEnter"/> first) and left with <paramref name="exit"/>,
    /// calling <paramref name="body"/> inside; returns how many sections found another one already inside.
    /// </summary>
    public static int OverlapsUnder(int threads, int iterations, Action enter, Func<bool> tryEnter, Action exit, Action body)
    {
        var inside = 0;
        var overlaps = 0;
        RunAll(Enumerable.Range(0, threads).Select(_ => (Action)(() =>
        {
            for (var i = 0; i < iterations; i++)
            {
                if ((i & 15) != 0 || !tryEnter())
                {
                    enter();
                }
                if (Interlocked.Increment(ref inside) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                body();
                Interlocked.Decrement(ref inside);
                exit();
            }
        })).ToArray());
        return overlaps;
    }

    /// <summary>Starts one background thread per body, joins all, fails on a timeout, rethrows the first exception.</summary>
    public static void RunAll(params Action[] bodies)
    {
        var started = Start(bodies);
        JoinAll(started);
    }

    public static Started Start(params Action[] bodies)
    {
        var errors = new Exception?[bodies.Length];
        var threads = new Thread[bodies.Length];
        for (var i = 0; i < bodies.Length; i++)
        {
            var index = i;
            threads[i] = new Thread(() =>
            {
                try
                {
                    bodies[index]();
                }
                catch (Exception e)
                {
                    errors[index] = e;
                }
            })
            { IsBackground = true, Name = $"test-{index}" };
        }
        foreach (var t in threads)
        {
            t.Start();
        }
        return new Started(threads, errors);
    }

    public static void JoinAll(Started started)
    {
        foreach (var t in started.Threads)
        {
            if (!t.Join(JoinTimeout))
            {
                Assert.Fail($"thread {t.Name} did not finish within {JoinTimeout.TotalSeconds} s: the lock is stuck");
            }
        }
        foreach (var e in started.Errors)
        {
            if (e is not null)
            {
                ExceptionDispatchInfo.Capture(e).Throw();
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> on another thread and returns its result.</summary>
    public static T OnOtherThread<T>(Func<T> body)
    {
        T result = default!;
        RunAll(() => result = body());
        return result;
    }

    /// <summary>Waits (bounded by <see cref="JoinTimeout"/>) until <paramref name="condition"/> holds; fails otherwise.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + JoinTimeout;
        var spin = new SpinWait();
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"gave up waiting until {what}");
            }
            spin.SpinOnce();
        }
    }

    public sealed record Started(Thread[] Threads, Exception?[] Errors);
}
