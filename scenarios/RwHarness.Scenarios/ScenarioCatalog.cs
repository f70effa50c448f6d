using RwHarness.Model;
using RwHarness.Scenarios.Catalog;

namespace RwHarness.Scenarios;

/// <summary>Every scenario the harness runs, by name.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } = Build();

    /// <summary>The scenarios a plain <c>rwharness check</c> runs (the rest are reachable by name).</summary>
    public static IReadOnlyList<Scenario> Default { get; } = All.Where(s => !s.Name.StartsWith("progress-", StringComparison.Ordinal) || IsDefaultProgress(s.Name)).ToList();

    public static Scenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);

    private static bool IsDefaultProgress(string name) => name is "progress-r1-w1-x3" or "progress-r2-w1-x2" or "progress-r2-w2-x1" or "progress-r3-w2-x1";

    private static List<Scenario> Build()
    {
        var list = new List<Scenario>
        {
            new MutualExclusion(2, 1, 1),
            new MutualExclusion(1, 2, 2),
            new ReadersShare(),
            new WriterPreference(),
            new Misuse(),
            new RecursionDeadlock(),
            new ReadReentryWithPendingWriter(),
            new ReaderPass(),
            new GoParallelReaders(3),
            new GoHammer(1, 2),
            new GoHammer(3, 1),
            new WritersQueue(),
            new Router.RouterScenario(),
        };
        list.AddRange(Progress.All());
        var duplicates = list.GroupBy(s => s.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw new InvalidOperationException("duplicate scenario names: " + string.Join(", ", duplicates));
        }
        return list;
    }
}
