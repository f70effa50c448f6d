using RwHarness.Sync;

namespace RwHarness.Engine.Runtime;

/// <summary>One thread of a scenario, as the engine schedules it.</summary>
internal sealed class VirtualThread
{
    [ThreadStatic]
    private static VirtualThread? current;

    public VirtualThread(Execution execution, int id, string name, Action body, HostThread host)
    {
        Execution = execution;
        Id = id;
        Name = name;
        Body = body;
        Host = host;
        Handle = new ParkHandle(id + 1, name) { Backend = this };
    }

    /// <summary>The virtual thread running on this OS thread, or null outside an execution.</summary>
    public static VirtualThread? Current
    {
        get => current;
        set => current = value;
    }

    public Execution Execution { get; }
    public int Id { get; }
    public string Name { get; }
    public Action Body { get; }
    public HostThread Host { get; }
    public ParkHandle Handle { get; }

    public ThreadStatus Status = ThreadStatus.NotStarted;

    /// <summary>Set once the scheduler first gives this thread the turn; the host starts the body then.</summary>
    public volatile bool Started;

    /// <summary>The last operation was a spin hint or yield: let others go first.</summary>
    public bool Yielded;

    /// <summary>The step at which the thread last stopped at a yield: when every thread spins, the oldest goes first.</summary>
    public int YieldStamp;

    /// <summary>Go's note: an Unpark arrived before the Park.</summary>
    public bool NotePermit;

    /// <summary>A semaphore release handed its count directly to this thread.</summary>
    public bool SemaTicket;

    /// <summary>The operation this thread is stopped at (for traces and deadlock reports).</summary>
    public OpKind PendingOp;
    public string? PendingLocation;

    /// <summary>What a blocked thread waits on, for deadlock reports.</summary>
    public string? BlockedOn;

    /// <summary>The queue or marker a blocked thread waits in (a semaphore queue, <see cref="ParkMarker"/>, an external resource).</summary>
    public object? WaitObject;

    /// <summary>Marks a thread blocked in Park.</summary>
    public static readonly object ParkMarker = new();

    /// <summary>The step at which the thread last ran an operation.</summary>
    public int LastStep;

    public override string ToString() => Name;
}
