using RwHarness.Model;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Catalog;

/// <summary>
/// Scenario 1: a writer is alone; no reader overlaps a writer. Checked at every step from the probe's
/// enter/exit counts (not only at the end), and at the end no update may be lost.
/// </summary>
public sealed class MutualExclusion(int readers, int writers, int rounds) : ProbeScenario
{
    public override string Name => readers == 2 && writers == 1 && rounds == 1 ? "mutual-exclusion" : $"mutual-exclusion-r{readers}-w{writers}-x{rounds}";

    public override string Description => $"{readers} reader(s) and {writers} writer(s), {rounds} round(s): never two writers, never a writer with a reader, no lost update";

    protected override IReadOnlyList<string> ThreadNames =>
        [.. Enumerable.Range(0, readers).Select(i => $"R{i}"), .. Enumerable.Range(0, writers).Select(i => $"W{i}")];

    protected override Action[] Bodies<TSync>(LockProbe<TSync> p, LockDescriptor lk) =>
    [
        .. Enumerable.Range(0, readers).Select(t => (Action)(() =>
        {
            for (var r = 0; r < rounds; r++)
            {
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
