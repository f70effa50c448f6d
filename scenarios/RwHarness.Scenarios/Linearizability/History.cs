using RwHarness.Sync;

namespace RwHarness.Scenarios.Linearizability;

/// <summary>
/// Records a concurrent history as it happens: each thread logs its calls in its own list, stamped from a
/// logical clock shared by all threads. An invocation is stamped by a visible operation on the clock
/// (<c>TSync.Add</c>, a scheduling point), so it is stamped at the moment the scheduler lets the call start,
/// not whenever the thread last ran plain code; a response is stamped with Interlocked (not a scheduling
/// point) right after the call's last visible operation. Under the engine (one thread at a time) the stamps
/// are exactly the order of events; on real threads an invocation is stamped before the call starts and a
/// response after it ends, so the recorded intervals contain the real ones and the check stays sound.
/// </summary>
public sealed class History
{
    private readonly List<Pending>[] perThread;
    /// <summary>The logical clock; every invocation and response takes the next value.</summary>
    private long clock;

    public History(int threads)
    {
        perThread = new List<Pending>[threads];
        for (var i = 0; i < threads; i++)
        {
            perThread[i] = [];
        }
    }

    /// <summary>Stamps the invocation of <paramref name="name"/> by thread <paramref name="thread"/>; returns a handle for <see cref="Respond"/>.</summary>
    public int Invoke<TSync>(int thread, string name, params string[] args)
        where TSync : struct, ISync
    {
        var list = perThread[thread];
        list.Add(new Pending(name, args, TSync.Add(ref clock, 1, "history.clock")));
        return list.Count - 1;
    }

    /// <summary>Stamps the response of the call <paramref name="handle"/> with its result.</summary>
    public void Respond(int thread, int handle, string? result)
    {
        var p = perThread[thread][handle];
        p.Result = result;
        p.Response = Interlocked.Increment(ref clock);
    }

    /// <summary>The thread's current call, if it has not returned yet (for deadlock reports).</summary>
    public string? InFlight(int thread)
    {
        var list = perThread[thread];
        return list.Count > 0 && list[^1].Response is null ? $"in {list[^1].Name}({string.Join(", ", list[^1].Args)})" : null;
    }

    /// <summary>The history so far, ordered by invocation; unfinished calls are pending.</summary>
    public IReadOnlyList<HistoryOperation> Operations()
    {
        var all = perThread.SelectMany((l, t) => l.Select(p => (Thread: t, P: p))).OrderBy(x => x.P.Invoke).ToList();
        return all.Select((x, i) => new HistoryOperation(i, x.Thread, x.P.Name, x.P.Args, x.P.Result, x.P.Invoke, x.P.Response)).ToList();
    }

    private sealed class Pending(string name, string[] args, long invoke)
    {
        public string Name { get; } = name;
        public string[] Args { get; } = args;
        public long Invoke { get; } = invoke;
        public string? Result { get; set; }
        public long? Response { get; set; }
    }
}
