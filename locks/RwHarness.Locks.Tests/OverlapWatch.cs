namespace RwHarness.Locks.Tests;

/// <summary>
/// Counts a reader and a writer found inside a lock together, for real-thread tests with reader threads and one
/// writer: each side marks itself inside and checks for the other while it holds its side of the lock.
/// </summary>
internal sealed class OverlapWatch
{
    private int readersInside;
    private int writerInside;
    private int overlaps;
    private int writerDone;

    public int Overlaps => Volatile.Read(ref overlaps);

    /// <summary>Set by the writer when it stops, so the readers stop too.</summary>
    public bool WriterDone
    {
        get => Volatile.Read(ref writerDone) != 0;
        set => Volatile.Write(ref writerDone, value ? 1 : 0);
    }

    /// <summary>Call holding the read side.</summary>
    public void ReaderInside()
    {
        Interlocked.Increment(ref readersInside);
        if (Volatile.Read(ref writerInside) != 0)
        {
            Interlocked.Increment(ref overlaps);
        }
        Interlocked.Decrement(ref readersInside);
    }

    /// <summary>Call holding the write side; stays inside for <paramref name="spins"/> SpinWait iterations.</summary>
    public void WriterInside(int spins = 0)
    {
        Volatile.Write(ref writerInside, 1);
        if (Volatile.Read(ref readersInside) != 0)
        {
            Interlocked.Increment(ref overlaps);
        }
        if (spins > 0)
        {
            Thread.SpinWait(spins);
        }
        Volatile.Write(ref writerInside, 0);
    }
}
