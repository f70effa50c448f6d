namespace RwHarness.Engine.Runtime;

/// <summary>
/// An OS thread that runs virtual threads, one execution after another (threads are reused across
/// iterations: creating one costs far more than an execution). A virtual thread keeps its host for its
/// whole life, which is what thread-affine primitives such as ReaderWriterLockSlim need.
/// </summary>
internal sealed class HostThread
{
    // Hand-off: spin briefly (the next turn usually comes within microseconds), then sleep.
    private const int SpinRounds = 40;

    private readonly ManualResetEventSlim wakeup = new(false, 0);
    private readonly Thread thread;
    private VirtualThread? job;
    private volatile bool shutdown;

    public HostThread(string name)
    {
        thread = new Thread(Loop, 4 * 1024 * 1024) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>Set when the thread blocked outside ISync; it is never given work again.</summary>
    public volatile bool Lost;

    public void Assign(VirtualThread vt) => Volatile.Write(ref job, vt);

    public void Wake() => wakeup.Set();

    public void Shutdown()
    {
        shutdown = true;
        wakeup.Set();
    }

    /// <summary>Waits until <paramref name="ready"/> holds: spins first, then sleeps until <see cref="Wake"/>.</summary>
    public void WaitUntil<TState>(TState state, Func<TState, bool> ready)
    {
        for (var i = 0; i < SpinRounds; i++)
        {
            if (ready(state))
            {
                return;
            }
            if ((i & 7) == 7)
            {
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
        while (true)
        {
            wakeup.Reset();
            // Checked after Reset, so a Wake between the check and the Wait is never lost.
            if (ready(state))
            {
                return;
            }
            wakeup.Wait();
        }
    }

    private void Loop()
    {
        while (!shutdown && !Lost)
        {
            WaitUntil(this, static h => h.shutdown || (Volatile.Read(ref h.job) is { } j && j.Started));
            if (shutdown)
            {
                return;
            }
            var vt = Volatile.Read(ref job)!;
            Volatile.Write(ref job, null);
            vt.Execution.RunThread(vt);
        }
    }
}
