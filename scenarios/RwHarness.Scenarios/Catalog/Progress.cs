using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 4: every thread finishes — no deadlock, no lost wake-up — for a mix of readers, writers and
/// rounds, with try-enters mixed in. The engine reports a deadlock (naming every wait) or a step-bound
/// overrun (a thread that never gets in).
/// </summary>
public sealed class Progress(int readers, int writers, int rounds) : ProbeScenario
{
    public static IEnumerable<Progress> All() =>
        from r in Enumerable.Range(1, 3)
        from w in Enumerable.Range(1, 2)
        from x in Enumerable.Range(1, 3)
        select new Progress(r, w, x);

    public override string Name => $"progress-r{readers}-w{writers}-x{rounds}";

    public override string Description => $"{readers} reader(s), {writers} writer(s), {rounds} round(s) each: every thread finishes";

    protected override IReadOnlyList<string> ThreadNames =>
        [.. Enumerable.Range(0, readers).Select(i => $"R{i}"), .. Enumerable.Range(0, writers).Select(i => $"W{i}")];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk) =>
    [
        .. Enumerable.Range(0, readers).Select(t => (Action)(() =>
        {
            for (var r = 0; r < rounds; r++)
            {
                // The last round of reader 0 uses TryEnterRead, falling back to EnterRead when refused.
                if (t == 0 && r == rounds - 1 && p.TryEnterRead(t))
                {
                    p.ReadData();
                    p.ExitRead(t);
                    continue;
                }
                p.EnterRead(t);
                p.ReadData();
                p.ExitRead(t);
            }
        })),
        .. Enumerable.Range(readers, writers).Select(t => (Action)(() =>
        {
            for (var r = 0; r < rounds; r++)
            {
                p.EnterWrite(t);
                p.WriteData();
                p.ExitWrite(t);
            }
        })),
    ];
}
