using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 2: some interleaving lets two readers hold the lock at once. dfs proves it reachable; a lock
/// that serialises readers fails it.
/// </summary>
public sealed class ReadersShare : ProbeScenario
{
    public override string Name => "readers-share";

    public override string Description => "two readers can hold the lock at the same time (reachability)";

    public override Expectation Expect(LockDescriptor lockDescriptor) =>
        lockDescriptor.Has(LockTraits.SharedReaders)
            ? Expectation.Reachable("a reader/writer lock must let readers share")
            : Expectation.NotApplicable("the lock does not claim shared readers");

    protected override IReadOnlyList<string> ThreadNames => ["R0", "R1"];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk) =>
    [
        .. Enumerable.Range(0, 2).Select(t => (Action)(() =>
        {
            p.EnterRead(t);
            p.ReadData();
            p.ExitRead(t);
        })),
    ];

    protected override Func<bool>? Witness<TSync>(LockProbe<TSync> p) => () => p.ReadersInside >= 2;
}
