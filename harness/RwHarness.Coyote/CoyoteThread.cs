using RwHarness.Sync;

namespace RwHarness.Coyote;

/// <summary>
/// One controlled task as CoyoteSync sees it: its <see cref="ParkHandle"/>, its Go-style note permit,
/// its semaphore ticket, and the one primitive it blocks on.
/// </summary>
/// <remarks>
/// A task blocks by waiting on its own <see cref="SemaphoreSlim"/>. The assembly is rewritten by Coyote,
/// so that wait becomes Coyote's controlled SemaphoreSlim.Wait: the task is paused until the count is
/// positive, and when every task is paused Coyote reports a deadlock naming them, at once and for sure
/// (no "potential deadlock" after a timeout). Wake-ups are Release() calls, made only by CoyoteSync's
/// own bookkeeping, so the count never exceeds one.
/// </remarks>
internal sealed class CoyoteThread
{
    private readonly SemaphoreSlim signal = new(0);

    public CoyoteThread(int index, string name)
    {
        Index = index;
        // Scenario threads are numbered 1, 2, ... as in the native engine (the same in every iteration, and what
        // BRAVO's visible-readers slots are indexed by); other tasks get a process-wide id.
        Handle = index >= 0 ? new ParkHandle(index + 1, name) : new ParkHandle(name);
        Handle.Backend = this;
    }

    /// <summary>Position in the scenario's thread list (-1 for a task that is not a scenario thread).</summary>
    public int Index { get; }

    public ParkHandle Handle { get; }

    public string Name => Handle.Name;

    /// <summary>Go: the note's wake-up that arrived before notesleep.</summary>
    public bool ParkPermit;

    /// <summary>True while blocked in Park (so Unpark wakes it rather than leaving a permit).</summary>
    public bool Parked;

    /// <summary>Go: sudog.ticket — the semaphore count was handed straight to this waiter.</summary>
    public bool Ticket;

    /// <summary>What the task is blocked on, for deadlock reports; null while runnable.</summary>
    public string? WaitingOn { get; private set; }

    /// <summary>Stopped at a spin hint or yield (other threads may ask whether it waits).</summary>
    public volatile bool Spinning;

    /// <summary>What the task did last, for deadlock reports.</summary>
    public string? LastOperation;

    /// <summary>Blocks until <see cref="Wake"/> is called. The caller has already queued itself where a waker will find it.</summary>
    public void Block(string waitingOn)
    {
        WaitingOn = waitingOn;
        signal.Wait();
        WaitingOn = null;
    }

    /// <summary>Makes a blocked (or about to block) task runnable again.</summary>
    public void Wake() => signal.Release();

    public override string ToString() => Name;
}
