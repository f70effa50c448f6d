using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 9, for the reader-queue lock (Go runtime rwmutex): readers arrive while the writer holds the
/// lock and while its Unlock is between its steps, so some are counted in readerCount but not yet queued
/// when the writer wakes the queue; readerPass must let exactly those through. No reader may be lost
/// (everyone finishes), none woken twice (a stray wake-up would let a second-round reader in beside the
/// second writer), and the bookkeeping must end at zero.
/// </summary>
public sealed class ReaderPass : ProbeScenario
{
    public override string Name => "reader-pass";

    public override string Description => "readers racing the writer's Unlock: none lost, none woken twice, readerPass back to 0";

    public override Expectation Expect(LockDescriptor lk) =>
        lk.Has(LockTraits.ReaderQueue) ? Expectation.Holds : Expectation.NotApplicable("only the reader-queue lock has readerPass");

    protected override IReadOnlyList<string> ThreadNames => ["W", "R0", "R1"];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk)
    {
        var stage = new int[1];
        return
        [
            () =>
            {
                p.EnterWrite(0);
                TSync.Store(ref stage[0], 1, "stage");
                p.WriteData();
                p.ExitWrite(0);
                // A second round: a reader woken twice would be inside with this writer.
                p.EnterWrite(0);
                p.WriteData();
                p.ExitWrite(0);
            },
            () => Reader(p, 1, stage),
            () => Reader(p, 2, stage),
        ];
    }

    private static void Reader<TSync>(LockProbe<TSync> p, int t, int[] stage)
        where TSync : struct, ISync
    {
        SpinUntil<TSync>(() => TSync.Load(ref stage[0], "stage") == 1);
        for (var r = 0; r < 2; r++)
        {
            p.EnterRead(t);
            p.ReadData();
            p.ExitRead(t);
        }
    }

    protected override string? Final<TSync>(LockProbe<TSync> p)
    {
        if (p.Lock is not IReaderQueueIntrospection q)
        {
            return null;
        }
        if (q.ReaderPass != 0)
        {
            return $"readerPass is {q.ReaderPass} after every reader left: a pass was granted that nobody used";
        }
        return q.QueuedReaders != 0 ? $"{q.QueuedReaders} reader(s) still queued after every thread finished" : null;
    }
}
