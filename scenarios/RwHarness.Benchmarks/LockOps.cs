using System.Runtime.CompilerServices;
using RwHarness.Locks;
using RwHarness.Sync;

namespace RwHarness.Benchmarks;

/// <summary>
/// The four calls a workload makes, implemented by one struct per lock. Workloads are generic over a
/// struct <c>TOps</c>, so the JIT compiles one copy per lock with direct (and, for the sealed production
/// types, inlined) calls: what is measured is the lock, not an interface dispatch.
/// </summary>
internal interface ILockOps
{
    void EnterRead();
    void ExitRead();
    void EnterWrite();
    void ExitWrite();

    /// <summary>
    /// A read section as a user writes it: <c>using (l.Read()) { section.Run(); }</c> for our locks (BRAVO's own
    /// scope remembers its slot, so its exit skips a thread-local lookup), and Enter + try/finally Exit, what a
    /// <c>using</c> compiles to, for the BCL baselines.
    /// </summary>
    void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection;
}

/// <summary>The body of a read section (a struct, so each workload's section is compiled into each lock's loop).</summary>
internal interface IReadSection
{
    void Run();
}

/// <summary>A read section in a lock's own read scope: <c>using (l.Read()) { section.Run(); }</c>, the scope entered by the caller.</summary>
internal static class Scoped
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read<TScope, TSection>(TScope scope, ref TSection section)
        where TScope : struct, IDisposable
        where TSection : struct, IReadSection
    {
        using (scope)
        {
            section.Run();
        }
    }
}

/// <summary>A read section for locks without a using scope (the BCL baselines, the raw floors): what <c>using</c> compiles to.</summary>
internal static class EnterExit
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Read<TOps, TSection>(TOps ops, ref TSection section)
        where TOps : struct, ILockOps
        where TSection : struct, IReadSection
    {
        ops.EnterRead();
        try
        {
            section.Run();
        }
        finally
        {
            ops.ExitRead();
        }
    }
}

/// <summary>A workload: one body, compiled once per lock by <see cref="LockUnderTest.Run{TBody}"/>.</summary>
/// <remarks>
/// Every body's loop is marked <see cref="MethodImplOptions.AggressiveOptimization"/>: it is compiled fully
/// optimized on its first call and never runs as tier-0 or on-stack-replacement code. Measured here: with
/// tiering, a quick job (a few invocations per case) timed two threads on padded counters at the speed of
/// one thread (11 ns per operation instead of 6), because the loop was still running unoptimized code.
/// </remarks>
internal interface ILockBody
{
    long Run<TOps>(TOps ops)
        where TOps : struct, ILockOps;
}

internal readonly struct RwMutexOps(RwMutex l) : ILockOps
{
    public void EnterRead() => l.EnterRead();
    public void ExitRead() => l.ExitRead();
    public void EnterWrite() => l.EnterWrite();
    public void ExitWrite() => l.ExitWrite();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => Scoped.Read(l.Read(), ref section);
}

internal readonly struct RuntimeRwMutexOps(RuntimeRwMutex l) : ILockOps
{
    public void EnterRead() => l.EnterRead();
    public void ExitRead() => l.ExitRead();
    public void EnterWrite() => l.EnterWrite();
    public void ExitWrite() => l.ExitWrite();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => Scoped.Read(l.Read(), ref section);
}

internal readonly struct BravoOps(BravoRwMutex l) : ILockOps
{
    public void EnterRead() => l.EnterRead();
    public void ExitRead() => l.ExitRead();
    public void EnterWrite() => l.EnterWrite();
    public void ExitWrite() => l.ExitWrite();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => Scoped.Read(l.Read(), ref section);
}

internal readonly struct RwlsLockOps(RwlsLock l) : ILockOps
{
    public void EnterRead() => l.EnterRead();
    public void ExitRead() => l.ExitRead();
    public void EnterWrite() => l.EnterWrite();
    public void ExitWrite() => l.ExitWrite();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => Scoped.Read(l.Read(), ref section);
}

/// <summary>ReaderWriterLockSlim called directly: the baseline every ratio is taken against.</summary>
internal readonly struct RwlsOps(ReaderWriterLockSlim l) : ILockOps
{
    public void EnterRead() => l.EnterReadLock();
    public void ExitRead() => l.ExitReadLock();
    public void EnterWrite() => l.EnterWriteLock();
    public void ExitWrite() => l.ExitWriteLock();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => EnterExit.Read(this, ref section);
}

/// <summary>C#'s <c>lock</c> statement on an object (Monitor): readers are exclusive too.</summary>
internal readonly struct MonitorOps(object o) : ILockOps
{
    public void EnterRead() => Monitor.Enter(o);
    public void ExitRead() => Monitor.Exit(o);
    public void EnterWrite() => Monitor.Enter(o);
    public void ExitWrite() => Monitor.Exit(o);

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => EnterExit.Read(this, ref section);
}

/// <summary><see cref="System.Threading.Lock"/> (.NET 9+): readers are exclusive too.</summary>
internal readonly struct ThreadingLockOps(Lock l) : ILockOps
{
    public void EnterRead() => l.Enter();
    public void ExitRead() => l.Exit();
    public void EnterWrite() => l.Enter();
    public void ExitWrite() => l.Exit();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => EnterExit.Read(this, ref section);
}

/// <summary>Holds a <see cref="GoMutex{TSync}"/> (a struct that must not be copied) for <see cref="GoMutexOps"/>.</summary>
internal sealed class GoMutexBox
{
    public GoMutex<RealSync> Mutex = new("w");
}

/// <summary>Go's sync.Mutex port alone (the counter-negation lock's writer mutex <c>w</c>): Lock + Unlock for both sides.</summary>
internal readonly struct GoMutexOps(GoMutexBox b) : ILockOps
{
    public void EnterRead() => b.Mutex.Lock();
    public void ExitRead() => b.Mutex.Unlock();
    public void EnterWrite() => b.Mutex.Lock();
    public void ExitWrite() => b.Mutex.Unlock();

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => EnterExit.Read(this, ref section);
}

/// <summary>A counter on its own cache line.</summary>
internal sealed class CounterBox
{
    private readonly long[] cells = new long[32];

    /// <summary>The middle of a 256-byte array: no other object's field shares its cache line.</summary>
    public ref long Value => ref cells[16];
}

/// <summary>The raw-atomic floor: Interlocked.Increment + Interlocked.Decrement, what a read pair of a counter lock costs at least.</summary>
internal readonly struct InterlockedOps(CounterBox c) : ILockOps
{
    public void EnterRead() => Interlocked.Increment(ref c.Value);
    public void ExitRead() => Interlocked.Decrement(ref c.Value);
    public void EnterWrite() => Interlocked.Increment(ref c.Value);
    public void ExitWrite() => Interlocked.Decrement(ref c.Value);

    public void Read<TSection>(ref TSection section)
        where TSection : struct, IReadSection => EnterExit.Read(this, ref section);
}

/// <summary>One lock by its record name, with a switch that hands a workload the matching <see cref="ILockOps"/>.</summary>
internal sealed class LockUnderTest : IDisposable
{
    // Record names of the shipped locks are the catalogue's (`rwharness list`); the baselines are named by their type.
    public const string CounterNegation = "counter-negation";
    public const string ReaderQueue = "reader-queue";
    public const string RwlsNoRecursion = "rwls-norecursion";
    public const string RwlsRecursion = "rwls-recursion";
    public const string Bravo = "bravo";
    public const string Rwls = "ReaderWriterLockSlim";

    /// <summary>ReaderWriterLockSlim with SupportsRecursion: what <see cref="RwlsRecursion"/> wraps, so its own reference.</summary>
    public const string RwlsSupportsRecursion = "ReaderWriterLockSlim-recursion";
    public const string Monitor = "Monitor";
    public const string ThreadingLock = "System.Threading.Lock";
    public const string GoMutex = "go-mutex";
    public const string Interlocked = "interlocked";

    /// <summary>Every shipped lock (production types on RealSync) and the BCL baselines.</summary>
    public static readonly string[] Locks = [CounterNegation, ReaderQueue, RwlsNoRecursion, RwlsRecursion, Bravo, Rwls, Monitor, ThreadingLock, RwlsSupportsRecursion];

    /// <summary><see cref="Locks"/> plus the raw floors measured only uncontended.</summary>
    public static readonly string[] UncontendedLocks = [.. Locks, GoMutex, Interlocked];

    private readonly int kind;
    private readonly RwMutex? rwMutex;
    private readonly RuntimeRwMutex? runtimeRwMutex;
    private readonly BravoRwMutex? bravo;
    private readonly RwlsLock? rwlsLock;
    private readonly ReaderWriterLockSlim? rwls;
    private readonly object? monitor;
    private readonly Lock? threadingLock;
    private readonly GoMutexBox? goMutex;
    private readonly CounterBox? counter;

    public LockUnderTest(string name)
    {
        Name = name;
        kind = Array.IndexOf(UncontendedLocks, name);
        switch (name)
        {
            case CounterNegation: rwMutex = new RwMutex(); break;
            case ReaderQueue: runtimeRwMutex = new RuntimeRwMutex(); break;
            case Bravo: bravo = new BravoRwMutex(); break;
            case RwlsNoRecursion: rwlsLock = new RwlsLock(LockRecursionPolicy.NoRecursion); break;
            case RwlsRecursion: rwlsLock = new RwlsLock(LockRecursionPolicy.SupportsRecursion); break;
            case Rwls: rwls = new ReaderWriterLockSlim(LockRecursionPolicy.NoRecursion); break;
            case RwlsSupportsRecursion: rwls = new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion); break;
            case Monitor: monitor = new object(); break;
            case ThreadingLock: threadingLock = new Lock(); break;
            case GoMutex: goMutex = new GoMutexBox(); break;
            case Interlocked: counter = new CounterBox(); break;
            default: throw new ArgumentException($"unknown lock '{name}'", nameof(name));
        }
    }

    public string Name { get; }

    /// <summary>Runs <paramref name="body"/> specialised for this lock.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public long Run<TBody>(TBody body)
        where TBody : struct, ILockBody => kind switch
        {
            0 => body.Run(new RwMutexOps(rwMutex!)),
            1 => body.Run(new RuntimeRwMutexOps(runtimeRwMutex!)),
            2 or 3 => body.Run(new RwlsLockOps(rwlsLock!)),
            4 => body.Run(new BravoOps(bravo!)),
            5 or 8 => body.Run(new RwlsOps(rwls!)),
            6 => body.Run(new MonitorOps(monitor!)),
            7 => body.Run(new ThreadingLockOps(threadingLock!)),
            9 => body.Run(new GoMutexOps(goMutex!)),
            _ => body.Run(new InterlockedOps(counter!)),
        };

    public void Dispose()
    {
        rwlsLock?.Dispose();
        rwls?.Dispose();
    }
}
