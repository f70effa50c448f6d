using RwHarness.Sync;

namespace RwHarness.Scenarios.Router;

/// <summary>
/// Wraps the lock under test and counts who is inside (with Interlocked: bookkeeping, not a scheduling
/// point), so the router scenario can check mutual exclusion at every step, as <see cref="LockProbe{TSync}"/>
/// does for the catalogue's probe scenarios.
/// </summary>
public sealed class CountingRwLock(IRwLock inner) : IRwLock, IDescribeState
{
    private int readers;
    private int writers;

    public int ReadersInside => Volatile.Read(ref readers);

    public int WritersInside => Volatile.Read(ref writers);

    public void EnterRead()
    {
        inner.EnterRead();
        Interlocked.Increment(ref readers);
    }

    public bool TryEnterRead()
    {
        var ok = inner.TryEnterRead();
        if (ok)
        {
            Interlocked.Increment(ref readers);
        }
        return ok;
    }

    public void ExitRead()
    {
        Interlocked.Decrement(ref readers);
        inner.ExitRead();
    }

    public void EnterWrite()
    {
        inner.EnterWrite();
        Interlocked.Increment(ref writers);
    }

    public bool TryEnterWrite()
    {
        var ok = inner.TryEnterWrite();
        if (ok)
        {
            Interlocked.Increment(ref writers);
        }
        return ok;
    }

    public void ExitWrite()
    {
        Interlocked.Decrement(ref writers);
        inner.ExitWrite();
    }

    /// <summary>At most one writer, and never a writer with a reader; null when that holds.</summary>
    public string? Exclusion()
    {
        var w = WritersInside;
        var r = ReadersInside;
        if (w > 1)
        {
            return $"{w} writers hold the router's lock together";
        }
        return w == 1 && r > 0 ? $"a writer and {r} reader(s) hold the router's lock together" : null;
    }

    public string DescribeState()
    {
        var state = inner is IDescribeState d ? d.DescribeState() + " | " : "";
        return $"{state}inside: {ReadersInside}R {WritersInside}W";
    }
}
