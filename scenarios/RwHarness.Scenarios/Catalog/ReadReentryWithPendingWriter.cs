using System.Threading;
using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 7: R holds the read side, W waits for the write side, R asks for the read side again.
/// Go's documentation: "a blocked Lock call excludes new readers", so a writer-preferring lock hangs.
/// </summary>
public sealed class ReadReentryWithPendingWriter : ProbeScenario
{
    public override string Name => "read-reentry-pending-writer";

    public override string Description => "R holds read, W waits, R reads again: a writer-preferring lock hangs";

    public override Expectation Expect(LockDescriptor lk)
    {
        if (lk.Has(LockTraits.ThrowsOnRecursion))
        {
            return Expectation.Throws<LockRecursionException>("the lock refuses recursive reads");
        }
        if (lk.Has(LockTraits.SupportsRecursion))
        {
            return Expectation.Holds;
        }
        return lk.Has(LockTraits.WriterPreferring)
            ? Expectation.Hangs("a waiting writer excludes new readers, including the one that blocks it")
            : Expectation.NotApplicable("the lock does not promise writer preference");
    }

    protected override IReadOnlyList<string> ThreadNames => ["R", "W"];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk)
    {
        var stage = new int[1];
        return
        [
            () =>
            {
                p.EnterRead(0);
                TSync.Store(ref stage[0], 1, "stage");
                WaitUntilWaiting(p, 1);
                p.EnterRead(0);
                p.ReadData();
                p.ExitRead(0);
                p.ExitRead(0);
            },
            () =>
            {
                SpinUntil<TSync>(() => TSync.Load(ref stage[0], "stage") == 1);
                p.EnterWrite(1);
                p.WriteData();
                p.ExitWrite(1);
            },
        ];
    }
}
