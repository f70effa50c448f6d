using RwHarness.Sync;

namespace SampleUserLocks;

/// <summary>
/// A reader/writer lock with an optimistic reader fast path — and a check-then-act race in it.
/// A reader checks "no writer" and then announces itself; a writer that takes the gate between the
/// check and the announcement sees no readers and enters, and both are inside together.
/// </summary>
public sealed class BuggyBclRwLock : IRwLock
{
    private readonly object gate = new();
    private int readers; // readers inside
    private int writer;  // 1 while a writer is inside

    public void EnterRead()
    {
        // BUG: the check and the increment are two steps; a writer can enter in between.
        if (Volatile.Read(ref writer) == 0)
        {
            Interlocked.Increment(ref readers);
            return;
        }
        lock (gate)
        {
            while (Volatile.Read(ref writer) != 0)
            {
                Monitor.Wait(gate);
            }
            Interlocked.Increment(ref readers);
        }
    }

    public bool TryEnterRead()
    {
        if (Volatile.Read(ref writer) == 0)
        {
            Interlocked.Increment(ref readers);
            return true;
        }
        return false;
    }

    public void ExitRead()
    {
        if (Interlocked.Decrement(ref readers) == 0)
        {
            lock (gate)
            {
                Monitor.PulseAll(gate);
            }
        }
    }

    public void EnterWrite()
    {
        lock (gate)
        {
            while (Volatile.Read(ref writer) != 0 || Volatile.Read(ref readers) != 0)
            {
                Monitor.Wait(gate);
            }
            Volatile.Write(ref writer, 1);
        }
    }

    public bool TryEnterWrite()
    {
        lock (gate)
        {
            if (Volatile.Read(ref writer) != 0 || Volatile.Read(ref readers) != 0)
            {
                return false;
            }
            Volatile.Write(ref writer, 1);
            return true;
        }
    }

    public void ExitWrite()
    {
        lock (gate)
        {
            Volatile.Write(ref writer, 0);
            Monitor.PulseAll(gate);
        }
    }
}
