using System.Text;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios;

/// <summary>
/// Wraps a lock under test and keeps count of who is inside, with plain fields: the engine runs one
/// thread at a time, so these counts are exact at every scheduling point, where the invariant is checked.
/// Also remembers what each thread holds and is doing, for deadlock reports.
/// </summary>
public sealed class LockProbe<TSync>
    where TSync : struct, ISync
{
    private readonly string?[] doing;
    private readonly int[] reads;
    private readonly int[] writes;

    /// <summary>Shared data guarded by the lock: readers load it, writers increment it non-atomically.</summary>
    private int data;

    public LockProbe(IRwLock lockObject, int threads)
    {
        Lock = lockObject;
        doing = new string?[threads];
        reads = new int[threads];
        writes = new int[threads];
    }

    public IRwLock Lock { get; }

    // Counted with Interlocked, never through ISync: bookkeeping is not a scheduling point, and the same
    // probe stays exact on real threads in stress mode.
    private int readersInside;
    private int writersInside;
    private int maxReadersTogether;
    private int writesDone;
    private long overlaps;

    public int ReadersInside => Volatile.Read(ref readersInside);
    public int WritersInside => Volatile.Read(ref writersInside);
    public int MaxReadersTogether => Volatile.Read(ref maxReadersTogether);

    /// <summary>Completed write critical sections; the guarded data must equal it at the end.</summary>
    public int Writes => Volatile.Read(ref writesDone);

    /// <summary>Overlaps seen by threads as they entered (stress mode counts these).</summary>
    public long Overlaps => Interlocked.Read(ref overlaps);

    public int Data => data;

    public void EnterRead(int t)
    {
        doing[t] = "in EnterRead";
        Lock.EnterRead();
        doing[t] = null;
        AddReader(t);
    }

    public bool TryEnterRead(int t)
    {
        doing[t] = "in TryEnterRead";
        var ok = Lock.TryEnterRead();
        doing[t] = null;
        if (ok)
        {
            AddReader(t);
        }
        return ok;
    }

    public void ExitRead(int t)
    {
        Interlocked.Decrement(ref readersInside);
        reads[t]--;
        doing[t] = "in ExitRead";
        Lock.ExitRead();
        doing[t] = null;
    }

    /// <summary>A read taken by a thread that already holds the write side (recursion): not counted as a separate reader.</summary>
    public void EnterReadNested(int t)
    {
        doing[t] = "in EnterRead";
        Lock.EnterRead();
        doing[t] = null;
        reads[t]++;
    }

    public void ExitReadNested(int t)
    {
        reads[t]--;
        Lock.ExitRead();
    }

    public void EnterWrite(int t)
    {
        doing[t] = "in EnterWrite";
        Lock.EnterWrite();
        doing[t] = null;
        AddWriter(t);
    }

    public bool TryEnterWrite(int t)
    {
        doing[t] = "in TryEnterWrite";
        var ok = Lock.TryEnterWrite();
        doing[t] = null;
        if (ok)
        {
            AddWriter(t);
        }
        return ok;
    }

    public void ExitWrite(int t)
    {
        Interlocked.Decrement(ref writersInside);
        writes[t]--;
        doing[t] = "in ExitWrite";
        Lock.ExitWrite();
        doing[t] = null;
    }

    /// <summary>A reader's critical section: one visible read of the guarded data.</summary>
    public int ReadData() => TSync.Load(ref data, "data");

    /// <summary>A writer's critical section: a non-atomic increment, so an overlap also shows as a lost update.</summary>
    public void WriteData()
    {
        var v = TSync.Load(ref data, "data");
        TSync.Store(ref data, v + 1, "data");
        Interlocked.Increment(ref writesDone);
    }

    /// <summary>Mutual exclusion: at most one writer, and never a writer with a reader.</summary>
    public string? Exclusion()
    {
        if (WritersInside > 1)
        {
            return $"{WritersInside} writers hold the lock together";
        }
        if (WritersInside == 1 && ReadersInside > 0)
        {
            return $"a writer and {ReadersInside} reader(s) hold the lock together";
        }
        return ReadersInside < 0 || WritersInside < 0 ? "more exits than entries" : null;
    }

    /// <summary>Every write landed: no update was lost.</summary>
    public string? NoLostUpdate() => data == Writes ? null : $"{Writes} writes completed but the data is {data}: an update was lost";

    /// <summary>Thread <paramref name="t"/> is inside one of the lock's Enter calls (it may be waiting there).</summary>
    public bool InEnter(int t) => doing[t] is { } d && d.StartsWith("in Enter", StringComparison.Ordinal);

    public string Describe()
    {
        var state = Lock is IDescribeState d ? d.DescribeState() + " | " : "";
        return $"{state}inside: {ReadersInside}R {WritersInside}W";
    }

    public string? DescribeThread(int t)
    {
        var sb = new StringBuilder();
        if (writes[t] > 0)
        {
            sb.Append("holds write");
        }
        if (reads[t] > 0)
        {
            sb.Append(sb.Length > 0 ? ", " : "").Append(reads[t] == 1 ? "holds read" : $"holds read x{reads[t]}");
        }
        if (doing[t] is { } d)
        {
            sb.Append(sb.Length > 0 ? "; " : "").Append(d);
        }
        return sb.Length == 0 ? null : sb.ToString();
    }

    private void AddReader(int t)
    {
        var now = Interlocked.Increment(ref readersInside);
        reads[t]++;
        if (Volatile.Read(ref writersInside) > 0)
        {
            Interlocked.Increment(ref overlaps);
        }
        int seen;
        while (now > (seen = Volatile.Read(ref maxReadersTogether)) && Interlocked.CompareExchange(ref maxReadersTogether, now, seen) != seen)
        {
        }
    }

    private void AddWriter(int t)
    {
        var now = Interlocked.Increment(ref writersInside);
        writes[t]++;
        if (now > 1 || Volatile.Read(ref readersInside) > 0)
        {
            Interlocked.Increment(ref overlaps);
        }
    }
}
