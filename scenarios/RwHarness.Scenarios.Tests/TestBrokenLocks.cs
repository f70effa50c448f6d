using RwHarness.Locks;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Tests;

/// <summary>
/// A small reader/writer lock over ISync, correct by default: a writer claims the writer flag, then waits
/// for the readers to drain; a reader registers, then backs off while the flag is set. Two ways to break it:
/// <c>writerWaitsForReaders: false</c> (EnterWrite does not wait for readers) and
/// <c>exitWriteClearsFlag: false</c> (ExitWrite forgets to clear the writer flag).
/// </summary>
public sealed class SpinRwLock<TSync>(bool writerWaitsForReaders = true, bool exitWriteClearsFlag = true) : IRwLock, IDescribeState
    where TSync : struct, ISync
{
    private int readers;
    private int writer;

    public void EnterRead()
    {
        while (!TryEnterRead())
        {
            TSync.Yield();
        }
    }

    public bool TryEnterRead()
    {
        if (TSync.Load(ref writer) != 0)
        {
            return false;
        }
        TSync.Add(ref readers, 1);
        if (TSync.Load(ref writer) == 0)
        {
            return true;
        }
        TSync.Add(ref readers, -1);
        return false;
    }

    public void ExitRead() => TSync.Add(ref readers, -1);

    public void EnterWrite()
    {
        while (TSync.CompareExchange(ref writer, 1, 0) != 0)
        {
            TSync.Yield();
        }
        // The writer flag keeps new readers out; now wait for the ones inside. The broken variant skips this.
        while (writerWaitsForReaders && TSync.Load(ref readers) != 0)
        {
            TSync.Yield();
        }
    }

    public bool TryEnterWrite()
    {
        if (TSync.CompareExchange(ref writer, 1, 0) != 0)
        {
            return false;
        }
        if (writerWaitsForReaders && TSync.Load(ref readers) != 0)
        {
            TSync.Store(ref writer, 0);
            return false;
        }
        return true;
    }

    public void ExitWrite()
    {
        if (exitWriteClearsFlag)
        {
            TSync.Store(ref writer, 0);
        }
    }

    public string DescribeState() => $"readers={Volatile.Read(ref readers)} writer={Volatile.Read(ref writer)}";
}

/// <summary><see cref="SpinRwLock{TSync}"/>, correct.</summary>
public sealed class SpinRwLockDescriptor : LockDescriptor
{
    public override string Name => "test-spin";

    public override LockTraits Traits => LockTraits.SharedReaders;

    public override IRwLock Create<TSync>() => new SpinRwLock<TSync>(writerWaitsForReaders: true);
}

/// <summary>Broken: the writer does not wait for the readers inside.</summary>
public sealed class WriterIgnoresReadersDescriptor : LockDescriptor
{
    public override string Name => "test-writer-ignores-readers";

    public override LockTraits Traits => LockTraits.SharedReaders;

    public override IRwLock Create<TSync>() => new SpinRwLock<TSync>(writerWaitsForReaders: false);
}

/// <summary>Broken: ExitWrite forgets to clear the writer flag, so the next thread to enter spins forever.</summary>
public sealed class ExitWriteKeepsFlagDescriptor : LockDescriptor
{
    public override string Name => "test-exit-write-keeps-flag";

    public override LockTraits Traits => LockTraits.SharedReaders;

    public override IRwLock Create<TSync>() => new SpinRwLock<TSync>(exitWriteClearsFlag: false);
}

/// <summary>Broken: Go's sync.RWMutex whose read side does nothing (EnterRead/ExitRead are no-ops).</summary>
public sealed class NoReadSideDescriptor : LockDescriptor
{
    public override string Name => "test-no-read-side";

    public override LockTraits Traits => LockTraits.SharedReaders;

    public override IRwLock Create<TSync>() => new NoReadSide(new CounterNegationRwLock<TSync>());

    private sealed class NoReadSide(IRwLock inner) : IRwLock
    {
        public void EnterRead()
        {
        }

        public bool TryEnterRead() => true;

        public void ExitRead()
        {
        }

        public void EnterWrite() => inner.EnterWrite();

        public bool TryEnterWrite() => inner.TryEnterWrite();

        public void ExitWrite() => inner.ExitWrite();
    }
}
