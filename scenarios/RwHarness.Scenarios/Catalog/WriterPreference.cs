using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 3: once a writer waits, no new reader enters before it. R0 holds the read side; W asks for
/// the write side and waits; only then does R1 ask to read; only once R1 waits too does R0 leave.
/// A writer-preferring lock must let W in before R1.
/// </summary>
public sealed class WriterPreference : ProbeScenario
{
    private const int R0 = 0;
    private const int W = 1;
    private const int R1 = 2;

    public override string Name => "writer-preference";

    public override string Description => "once a writer waits, no new reader enters before it";

    public override Expectation Expect(LockDescriptor lockDescriptor) =>
        lockDescriptor.Has(LockTraits.WriterPreferring)
            ? Expectation.Holds
            : Expectation.NotApplicable("the lock does not promise writer preference; stress mode measures how many readers pass a waiting writer");

    protected override IReadOnlyList<string> ThreadNames => ["R0", "W", "R1"];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk)
    {
        var stage = new int[1];
        var writerEntered = new int[1];
        return
        [
            () =>
            {
                p.EnterRead(R0);
                TSync.Store(ref stage[0], 1, "stage");
                SpinUntil<TSync>(() => TSync.Load(ref stage[0], "stage") >= 2);
                WaitUntilWaiting(p, R1);
                p.ExitRead(R0);
            },
            () =>
            {
                SpinUntil<TSync>(() => TSync.Load(ref stage[0], "stage") >= 1);
                p.EnterWrite(W);
                Volatile.Write(ref writerEntered[0], 1);
                p.WriteData();
                p.ExitWrite(W);
            },
            () =>
            {
                SpinUntil<TSync>(() => TSync.Load(ref stage[0], "stage") >= 1);
                WaitUntilWaiting(p, W);
                TSync.Store(ref stage[0], 2, "stage");
                p.EnterRead(R1);
                ScenarioAssert.That(Volatile.Read(ref writerEntered[0]) == 1, "R1 entered before the writer that was already waiting");
                p.ExitRead(R1);
            },
        ];
    }
}
