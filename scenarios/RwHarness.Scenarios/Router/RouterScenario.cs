using RwHarness.Model;
using RwHarness.Scenarios.Linearizability;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Router;

/// <summary>
/// Scenario 8: the Router of seed 000 under concurrent Add/Query/Delete. Every call is recorded with its
/// invocation and response on a logical clock; at the end the history must be linearizable against a
/// sequential dictionary (Wing and Gong with Lowe's memoization, <see cref="LinearizabilityChecker"/>).
/// Mutual exclusion is also checked at every step from the lock's enter/exit counts.
/// </summary>
/// <remarks>
/// The default plan: T0 files a peer on socket a and then replaces it (so a reader that slips into the
/// replacement finds the socket empty), T1 queries a and b, T2 files a peer on b and deletes a.
/// </remarks>
public sealed class RouterScenario : Scenario
{
    private readonly IReadOnlyList<IReadOnlyList<RouterCall>> plan;
    private readonly bool checkExclusion;

    /// <param name="name">Scenario name.</param>
    /// <param name="plan">Per thread, the calls it makes in order.</param>
    /// <param name="checkExclusion">Check mutual exclusion at every step; without it only the history's linearizability judges the lock.</param>
    public RouterScenario(string name, IReadOnlyList<IReadOnlyList<RouterCall>> plan, bool checkExclusion = true)
    {
        if (plan.Count == 0)
        {
            throw new ArgumentException("the router needs at least one thread", nameof(plan));
        }
        Name = name;
        this.plan = plan;
        this.checkExclusion = checkExclusion;
    }

    public RouterScenario()
        : this("router", DefaultPlan)
    {
    }

    public static IReadOnlyList<IReadOnlyList<RouterCall>> DefaultPlan { get; } =
    [
        [RouterCall.Add("a", "p1"), RouterCall.Add("a", "p2")],
        [RouterCall.Query("a"), RouterCall.Query("b")],
        [RouterCall.Add("b", "p3"), RouterCall.Delete("a")],
    ];

    public override string Name { get; }

    public override string Description =>
        "seed 000's Router: " + string.Join(" | ", plan.Select((calls, t) => $"T{t}: {string.Join("; ", calls)}"))
        + "; the history is linearizable against a sequential dictionary";

    public IReadOnlyList<IReadOnlyList<RouterCall>> Plan => plan;

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var counted = new CountingRwLock(lockDescriptor.Create<TSync>());
        var router = new Router<TSync>(counted);
        var history = new History(plan.Count);
        var threads = plan.Select((calls, t) => new ThreadSpec($"T{t}", () =>
        {
            foreach (var call in calls)
            {
                Run(router, history, t, call);
            }
        })).ToArray();
        return new ScenarioInstance(threads)
        {
            Invariant = checkExclusion ? counted.Exclusion : null,
            Final = () => Linearizable(history),
            DescribeState = () => $"{counted.DescribeState()} | table {router.Describe()}",
            DescribeThread = history.InFlight,
        };
    }

    /// <summary>Null when the recorded history is linearizable, else the checker's explanation.</summary>
    public static string? Linearizable(History history)
    {
        var r = LinearizabilityChecker.Check(history.Operations(), SequentialDictionary.Instance);
        return r.IsLinearizable ? null : "the router's history is " + r.Explanation;
    }

    private static void Run<TSync>(Router<TSync> router, History history, int t, RouterCall call)
        where TSync : struct, ISync
    {
        switch (call.Op)
        {
            case SequentialDictionary.Add:
                var h = history.Invoke<TSync>(t, call.Op, call.Socket, call.PeerName!);
                router.Add(new Peer(call.Socket, call.PeerName!));
                history.Respond(t, h, null);
                break;
            case SequentialDictionary.Delete:
                h = history.Invoke<TSync>(t, call.Op, call.Socket);
                router.Delete(call.Socket);
                history.Respond(t, h, null);
                break;
            case SequentialDictionary.Query:
                h = history.Invoke<TSync>(t, call.Op, call.Socket);
                var peer = router.Query(call.Socket);
                history.Respond(t, h, peer?.Name);
                break;
            default:
                throw new ArgumentException($"the router has no operation {call.Op}");
        }
    }
}
