using System.Threading;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 6, the real deadlock of seed 004: Bind holds the write lock and calls Boot, which calls make,
/// which takes the read lock on the same thread. A Query thread reads the table meanwhile. Go-style locks
/// deadlock (both waits named), ReaderWriterLockSlim without recursion throws LockRecursionException, with
/// recursion it succeeds.
/// </summary>
public sealed class RecursionDeadlock : ProbeScenario
{
    public override string Name => "recursion-deadlock";

    public override string Description => "seed 004: write lock held, the same thread asks for the read lock (Bind -> Boot -> make)";

    public override Expectation Expect(LockDescriptor lk)
    {
        if (lk.Has(LockTraits.ThrowsOnRecursion))
        {
            return Expectation.Throws<LockRecursionException>("the lock refuses recursion");
        }
        if (lk.Has(LockTraits.SupportsRecursion))
        {
            return Expectation.Holds;
        }
        return Expectation.Hangs("the read lock waits for the write lock its own thread holds");
    }

    protected override IReadOnlyList<string> ThreadNames => ["Bind", "Query"];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk) =>
    [
        () =>
        {
            // HadeContainer.Bind: lock.Lock(); defer lock.Unlock(); ... provider.Boot(hade)
            p.EnterWrite(0);
            p.WriteData();
            Boot(p);
            p.ExitWrite(0);
        },
        () =>
        {
            p.EnterRead(1);
            p.ReadData();
            p.ExitRead(1);
        },
    ];

    // Boot -> MustMake -> make: lock.RLock(); defer lock.RUnlock()
    private static void Boot<TSync>(LockProbe<TSync> p)
        where TSync : struct, ISync
    {
        p.EnterReadNested(0);
        p.ReadData();
        p.ExitReadNested(0);
    }
}
