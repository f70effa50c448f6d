using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Engine.Tests.Programs;

/// <summary>
/// Small classic concurrency bugs, each with its fixed twin, written against ISync. The engine must find
/// every bug with every strategy, replay it from its token, and pass the fixed version.
/// </summary>
internal static class KnownBugs
{
    /// <summary>Two threads increment a counter with a separate load and store: one update can be lost.</summary>
    public static ScenarioInstance LostUpdate<TSync>(bool fixedVersion)
        where TSync : struct, ISync
    {
        var box = new int[1];
        void Increment()
        {
            if (fixedVersion)
            {
                TSync.Add(ref box[0], 1, "counter");
            }
            else
            {
                var v = TSync.Load(ref box[0], "counter");
                TSync.Store(ref box[0], v + 1, "counter");
            }
        }
        return new ScenarioInstance(new ThreadSpec("T0", Increment), new ThreadSpec("T1", Increment))
        {
            Final = () => box[0] == 2 ? null : $"counter is {box[0]} after two increments",
            DescribeState = () => $"counter={box[0]}",
        };
    }

    /// <summary>Two mutexes taken in opposite orders (ABBA); the fix takes them in one global order.</summary>
    public static ScenarioInstance Abba<TSync>(bool fixedVersion)
        where TSync : struct, ISync
    {
        var a = new SemaMutex<TSync>("A");
        var b = new SemaMutex<TSync>("B");
        var holds = new string[2];
        Action Body(int id, SemaMutex<TSync> first, SemaMutex<TSync> second) => () =>
        {
            first.Lock();
            holds[id] = first.Name;
            second.Lock();
            holds[id] = first.Name + "," + second.Name;
            second.Unlock();
            first.Unlock();
            holds[id] = "";
        };
        return new ScenarioInstance(
            new ThreadSpec("T0", Body(0, a, b)),
            new ThreadSpec("T1", fixedVersion ? Body(1, a, b) : Body(1, b, a)))
        {
            DescribeThread = id => string.IsNullOrEmpty(holds[id]) ? null : "holds " + holds[id],
        };
    }

    /// <summary>
    /// A consumer checks a flag and then announces it sleeps; the producer sets the flag and wakes only an
    /// announced sleeper. Checked in that order, the wake-up can fall between the two and be lost.
    /// The fix announces first, then checks (Park keeps an early wake-up, like Go's note).
    /// </summary>
    public static ScenarioInstance LostWakeup<TSync>(bool fixedVersion)
        where TSync : struct, ISync
    {
        var cells = new int[2]; // [0] ready, [1] sleeper announced
        ParkHandle? consumer = null;
        return new ScenarioInstance(
            new ThreadSpec("consumer", () =>
            {
                consumer = TSync.CurrentThread;
                if (fixedVersion)
                {
                    TSync.Store(ref cells[1], 1, "sleeping");
                    if (TSync.Load(ref cells[0], "ready") == 0)
                    {
                        TSync.Park();
                    }
                }
                else if (TSync.Load(ref cells[0], "ready") == 0)
                {
                    TSync.Store(ref cells[1], 1, "sleeping");
                    TSync.Park();
                }
            }),
            new ThreadSpec("producer", () =>
            {
                TSync.Store(ref cells[0], 1, "ready");
                if (TSync.Load(ref cells[1], "sleeping") == 1)
                {
                    TSync.Unpark(consumer!);
                }
            }))
        {
            DescribeState = () => $"ready={cells[0]} sleeping={cells[1]}",
        };
    }

    /// <summary>
    /// A bug of depth 3: it shows only when A1 &lt; B1 &lt; A2 &lt; B2 (three ordering constraints), with
    /// padding so that most schedules miss it. B asserts it never sees the value go from 1 to 2.
    /// The fix makes A write its two values atomically (one store of the final value).
    /// </summary>
    public static ScenarioInstance DepthThree<TSync>(bool fixedVersion, int padding = 6)
        where TSync : struct, ISync
    {
        var cells = new int[2]; // [0] s, [1] padding
        return new ScenarioInstance(
            new ThreadSpec("A", () =>
            {
                for (var i = 0; i < padding; i++)
                {
                    TSync.Add(ref cells[1], 1, "pad");
                }
                if (!fixedVersion)
                {
                    TSync.Store(ref cells[0], 1, "s");
                }
                for (var i = 0; i < padding; i++)
                {
                    TSync.Add(ref cells[1], 1, "pad");
                }
                TSync.Store(ref cells[0], 2, "s");
            }),
            new ThreadSpec("B", () =>
            {
                var first = TSync.Load(ref cells[0], "s");
                for (var i = 0; i < padding; i++)
                {
                    TSync.Add(ref cells[1], 1, "pad");
                }
                var second = TSync.Load(ref cells[0], "s");
                ScenarioAssert.That(!(first == 1 && second == 2), "B saw s go from 1 to 2");
            }))
        {
            DescribeState = () => $"s={cells[0]}",
        };
    }

    /// <summary><paramref name="threads"/> threads doing <paramref name="ops"/> independent stores each: a correct program to count schedules.</summary>
    public static ScenarioInstance Independent<TSync>(int threads, int ops)
        where TSync : struct, ISync
    {
        var cells = new int[threads];
        return new ScenarioInstance(Enumerable.Range(0, threads).Select(t => new ThreadSpec("T" + t, () =>
        {
            for (var i = 0; i < ops; i++)
            {
                TSync.Store(ref cells[t], i, "c" + t);
            }
        })).ToArray());
    }

    /// <summary>A thread spins forever waiting for a flag nobody sets: the step bound must catch it.</summary>
    public static ScenarioInstance Livelock<TSync>()
        where TSync : struct, ISync
    {
        var flag = new int[1];
        return new ScenarioInstance(
            new ThreadSpec("spinner", () =>
            {
                while (TSync.Load(ref flag[0], "flag") == 0)
                {
                    TSync.SpinHint();
                }
            }),
            new ThreadSpec("idle", () => TSync.Load(ref flag[0], "flag")));
    }
}
