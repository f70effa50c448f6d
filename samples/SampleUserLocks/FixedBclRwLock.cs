using RwHarness.Sync;

namespace SampleUserLocks;

/// <summary>
/// The fixed twin of <see cref="BuggyBclRwLock"/>: a reader checks for a writer and announces itself
/// under the same gate the writer checks readers under, so the two can no longer interleave.
/// </summary>
public sealed class FixedBclRwLock : IRwLock
{
    private readonly object gate = new();
    private int readers; // readers inside; changed only under gate
    private int writer;  // 1 while a writer is inside; changed only under gate

    public void EnterRead()
    {
        lock (gate)
        {
            while (writer != 0)
            {
                Monitor.Wait(gate);
            }
            readers++;
        }
    }

    public bool TryEnterRead()
    {
        lock (gate)
        {
            if (writer != 0)
            {
                return false;
            }
            readers++;
            return true;
        }
    }

    public void ExitRead()
    {
        lock (gate)
        {
            if (--readers == 0)
            {
                Monitor.PulseAll(gate);
            }
        }
    }

    public void EnterWrite()
    {
        lock (gate)
        {
            while (writer != 0 || readers != 0)
            {
                Monitor.Wait(gate);
            }
            writer = 1;
        }
    }

    public bool TryEnterWrite()
    {
        lock (gate)
        {
            if (writer != 0 || readers != 0)
            {
                return false;
            }
            writer = 1;
            return true;
        }
    }

    public void ExitWrite()
    {
        lock (gate)
        {
            writer = 0;
            Monitor.PulseAll(gate);
        }
    }
}
