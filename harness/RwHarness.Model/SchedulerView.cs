namespace RwHarness.Model;

/// <summary>
/// What a scenario may ask the backend that runs it about its threads. Set per virtual thread by a
/// controlled backend; null on real threads, where such questions have no exact answer.
/// </summary>
public interface ISchedulerView
{
    /// <summary>True when thread <paramref name="thread"/> is blocked in the lock or spinning in it (stopped at a yield).</summary>
    bool IsWaiting(int thread);
}

/// <summary>The ambient <see cref="ISchedulerView"/> of the calling virtual thread.</summary>
public static class Scheduler
{
    [ThreadStatic]
    private static ISchedulerView? current;

    public static ISchedulerView? Current
    {
        get => current;
        set => current = value;
    }
}
