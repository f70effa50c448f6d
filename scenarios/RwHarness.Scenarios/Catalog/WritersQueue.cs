using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Two writers queue behind a reader: R holds the read side until both writers wait (one for R, the other
/// for the writer mutex), then lingers a few more yields so the second writer gives up spinning and sleeps
/// on the mutex's semaphore. Every thread must finish: the first writer's unlock has to wake the sleeper.
/// Under fair spin scheduling this is the only way to reach the writer mutex's sleep/wake path (a spinning
/// writer otherwise resumes only once the mutex is free again).
/// </summary>
public sealed class WritersQueue : ProbeScenario
{
    private const int R = 0;
    private const int W0 = 1;
    private const int W1 = 2;

    /// <summary>Yields R lingers once both writers wait: more than a contended mutex's spin budget (Go: 4).</summary>
    private const int Linger = 12;

    public override string Name => "writers-queue";

    public override string Description => "two writers queue behind a reader (one sleeps on the writer mutex): every thread finishes";

    protected override IReadOnlyList<string> ThreadNames => ["R", "W0", "W1"];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk)
    {
        var stage = new int[1];
        return
        [
            () =>
            {
                p.EnterRead(R);
                TSync.Store(ref stage[0], 1, "stage");
                WaitUntilWaiting(p, W0);
                WaitUntilWaiting(p, W1);
                for (var i = 0; i < Linger; i++)
                {
                    TSync.Yield();
                }
                p.ReadData();
                p.ExitRead(R);
            },
            () => Writer(p, W0, stage),
            () => Writer(p, W1, stage),
        ];
    }

    private static void Writer<TSync>(LockProbe<TSync> p, int t, int[] stage)
        where TSync : struct, ISync
    {
        SpinUntil<TSync>(() => TSync.Load(ref stage[0], "stage") == 1);
        p.EnterWrite(t);
        p.WriteData();
        p.ExitWrite(t);
    }
}
