using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Go's TestParallelReaders (src/sync/rwmutex_test.go): every reader takes the read lock and waits for all
/// the others to have it before leaving. A lock that serialises readers deadlocks here.
/// </summary>
public sealed class GoParallelReaders(int readers) : ProbeScenario
{
    public override string Name => $"go-parallel-readers-{readers}";

    public override string Description => $"Go TestParallelReaders: {readers} readers hold the lock together";

    public override Expectation Expect(LockDescriptor lk) =>
        lk.Has(LockTraits.SharedReaders) ? Expectation.Holds : Expectation.NotApplicable("the lock does not claim shared readers");

    protected override IReadOnlyList<string> ThreadNames => [.. Enumerable.Range(0, readers).Select(i => $"R{i}")];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk)
    {
        var locked = new int[1];
        return
        [
            .. Enumerable.Range(0, readers).Select(t => (Action)(() =>
            {
                p.EnterRead(t);
                TSync.Add(ref locked[0], 1, "locked");
                SpinUntil<TSync>(() => TSync.Load(ref locked[0], "locked") == readers);
                p.ExitRead(t);
            })),
        ];
    }
}

/// <summary>
/// Go's HammerRWMutex: readers add 1 to an activity counter and check no writer is in (activity &lt; 10000);
/// writers add 10000 and check they are alone (activity == 10000). Several reader counts, as Go runs it.
/// </summary>
public sealed class GoHammer(int readers, int iterations) : ProbeScenario
{
    public override string Name => $"go-hammer-r{readers}-n{iterations}";

    public override string Description => $"Go HammerRWMutex: 1 writer, {readers} reader(s), {iterations} iteration(s), activity counter";

    protected override IReadOnlyList<string> ThreadNames => ["W", .. Enumerable.Range(0, readers).Select(i => $"R{i}")];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk)
    {
        var activity = new int[1];
        return
        [
            () =>
            {
                for (var i = 0; i < iterations; i++)
                {
                    p.EnterWrite(0);
                    var n = TSync.Add(ref activity[0], 10000, "activity");
                    ScenarioAssert.That(n == 10000, $"writer saw activity {n}: not alone");
                    TSync.Add(ref activity[0], -10000, "activity");
                    p.ExitWrite(0);
                }
            },
            .. Enumerable.Range(1, readers).Select(t => (Action)(() =>
            {
                for (var i = 0; i < iterations; i++)
                {
                    p.EnterRead(t);
                    var n = TSync.Add(ref activity[0], 1, "activity");
                    ScenarioAssert.That(n < 10000, $"reader saw activity {n}: a writer is in");
                    TSync.Add(ref activity[0], -1, "activity");
                    p.ExitRead(t);
                }
            })),
        ];
    }
}
