using System.Globalization;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Coyote.Tests;

/// <summary>Two threads increment a counter with a non-atomic load + store: an update can be lost.</summary>
internal sealed class LostUpdateScenario : Scenario
{
    public override string Name => "lost-update";

    public override string Description => "two unsynchronized load+store increments; the final count must be 2";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var s = new Shared();
        void Increment()
        {
            var v = TSync.Load(ref s.Counter);
            TSync.Store(ref s.Counter, v + 1);
        }
        return new ScenarioInstance(new ThreadSpec("T1", Increment), new ThreadSpec("T2", Increment))
        {
            Final = () => s.Counter == 2 ? null : $"counter={s.Counter.ToString(CultureInfo.InvariantCulture)}, expected 2",
        };
    }

    private sealed class Shared
    {
        public int Counter;
    }
}

/// <summary>The same increments under the lock's write side: nothing is lost.</summary>
internal sealed class CounterUnderLockScenario : Scenario
{
    public override string Name => "counter-under-lock";

    public override string Description => "two load+store increments under the write lock; the final count must be 2";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var l = lockDescriptor.Create<TSync>();
        var s = new Shared();
        void Increment()
        {
            l.EnterWrite();
            TSync.Add(ref s.Inside, 1);
            var v = TSync.Load(ref s.Counter);
            TSync.Store(ref s.Counter, v + 1);
            TSync.Add(ref s.Inside, -1);
            l.ExitWrite();
        }
        return new ScenarioInstance(new ThreadSpec("T1", Increment), new ThreadSpec("T2", Increment))
        {
            Invariant = () => s.Inside > 1 ? "two writers inside" : null,
            Final = () => s.Counter == 2 ? null : $"counter={s.Counter.ToString(CultureInfo.InvariantCulture)}, expected 2",
        };
    }

    private sealed class Shared
    {
        public int Counter;
        public int Inside;
    }
}

/// <summary>T1 takes A then B, T2 takes B then A: some schedule deadlocks.</summary>
internal sealed class AbbaScenario : Scenario
{
    public override string Name => "abba";

    public override string Description => "two mutexes taken in opposite orders";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var a = new SemaMutex<TSync>();
        var b = new SemaMutex<TSync>();
        return new ScenarioInstance(
            new ThreadSpec("T1", () =>
            {
                a.Lock();
                b.Lock();
                b.Unlock();
                a.Unlock();
            }),
            new ThreadSpec("T2", () =>
            {
                b.Lock();
                a.Lock();
                a.Unlock();
                b.Unlock();
            }));
    }
}

/// <summary>
/// Two readers and a writer; the invariant counts who is inside: never a writer with anyone else.
/// Its witness is both readers inside together.
/// </summary>
internal sealed class RwExclusionScenario : Scenario
{
    public override string Name => "rw-exclusion";

    public override string Description => "2 readers + 1 writer: a writer is never inside with anyone else";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var l = lockDescriptor.Create<TSync>();
        var s = new Shared();
        ThreadSpec Reader(string name) => new(name, () =>
        {
            l.EnterRead();
            TSync.Add(ref s.Readers, 1);
            TSync.Add(ref s.Readers, -1);
            l.ExitRead();
        });
        return new ScenarioInstance(
            Reader("R1"),
            Reader("R2"),
            new ThreadSpec("W", () =>
            {
                l.EnterWrite();
                TSync.Add(ref s.Writers, 1);
                TSync.Add(ref s.Writers, -1);
                l.ExitWrite();
            }))
        {
            Invariant = () => s.Writers > 1 || (s.Writers == 1 && s.Readers > 0)
                ? $"writer inside with others: readers={s.Readers.ToString(CultureInfo.InvariantCulture)} writers={s.Writers.ToString(CultureInfo.InvariantCulture)}"
                : null,
            Witness = () => s.Readers == 2,
            Final = () => s.Readers == 0 && s.Writers == 0 ? null : "someone is still inside",
        };
    }

    private sealed class Shared
    {
        public int Readers;
        public int Writers;
    }
}

/// <summary>Seed 004: one thread holds the write lock and calls code that takes the read lock.</summary>
internal sealed class WriteThenReadScenario : Scenario
{
    public override string Name => "write-then-read";

    public override string Description => "the same thread: EnterWrite, then EnterRead (seed 004)";

    public override Expectation Expect(LockDescriptor lockDescriptor)
    {
        if (lockDescriptor.Has(LockTraits.ThrowsOnRecursion))
        {
            return Expectation.Throws<LockRecursionException>("RWLS NoRecursion refuses a read inside a write");
        }
        if (lockDescriptor.Has(LockTraits.SupportsRecursion))
        {
            return Expectation.Holds;
        }
        return Expectation.Deadlocks("a writer-preferring lock makes the reader wait for the writer, itself");
    }

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var l = lockDescriptor.Create<TSync>();
        return new ScenarioInstance(new ThreadSpec("T1", () =>
        {
            l.EnterWrite();
            l.EnterRead();
            l.ExitRead();
            l.ExitWrite();
        }));
    }
}

/// <summary>T1 publishes its handle and parks until T2 sets a flag and unparks it; no wake-up may be lost.</summary>
internal sealed class ParkUnparkScenario(bool parkTwice) : Scenario
{
    public override string Name => parkTwice ? "park-twice" : "park-unpark";

    public override string Description => parkTwice
        ? "T1 parks twice, T2 unparks once: T1 waits forever"
        : "T1 parks until T2's flag is set and it is unparked";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var s = new Shared();
        return new ScenarioInstance(
            new ThreadSpec("T1", () =>
            {
                s.Handle = TSync.CurrentThread;
                TSync.Store(ref s.Published, 1);
                if (parkTwice)
                {
                    TSync.Park();
                    TSync.Park();
                    return;
                }
                while (TSync.Load(ref s.Done) == 0)
                {
                    TSync.Park();
                }
            }),
            new ThreadSpec("T2", () =>
            {
                while (TSync.Load(ref s.Published) == 0)
                {
                    TSync.Yield();
                }
                TSync.Store(ref s.Done, 1);
                TSync.Unpark(s.Handle!);
            }));
    }

    private sealed class Shared
    {
        public ParkHandle? Handle;
        public int Published;
        public int Done;
    }
}

/// <summary>A body that throws: reported as an exception with its type name.</summary>
internal sealed class ThrowingScenario : Scenario
{
    public override string Name => "throws";

    public override string Description => "a thread throws InvalidOperationException after one step";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var s = new int[1];
        return new ScenarioInstance(
            new ThreadSpec("T1", () =>
            {
                TSync.Add(ref s[0], 1);
                throw new InvalidOperationException("boom");
            }),
            new ThreadSpec("T2", () => TSync.Add(ref s[0], 1)));
    }
}

/// <summary>T1 spins on a flag nobody sets: no deadlock (it never blocks), but it never finishes either.</summary>
internal sealed class SpinForeverScenario : Scenario
{
    public override string Name => "spin-forever";

    public override string Description => "a thread spins on a flag that is never set";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var flag = new int[1];
        return new ScenarioInstance(new ThreadSpec("T1", () =>
        {
            while (TSync.Load(ref flag[0]) == 0)
            {
                TSync.SpinHint();
            }
        }));
    }
}

/// <summary>T1 blocks on a BCL event that Coyote does not control and nobody sets.</summary>
internal sealed class UncontrolledWaitScenario : Scenario
{
    public override string Name => "uncontrolled-wait";

    public override string Description => "a thread blocks outside ISync";

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var gate = new ManualResetEventSlim(false);
        var flag = new int[1];
        return new ScenarioInstance(
            new ThreadSpec("T1", () =>
            {
                TSync.Add(ref flag[0], 1);
                gate.Wait(TimeSpan.FromSeconds(20));
            }),
            new ThreadSpec("T2", () => TSync.Add(ref flag[0], 1)));
    }
}
