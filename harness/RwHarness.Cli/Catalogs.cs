using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Scenarios;
using RwHarness.Scenarios.Mutants;

namespace RwHarness.Cli;

/// <summary>Finds locks and scenarios by name, shipped or loaded from a user's assembly.</summary>
public static class Catalogs
{
    public static IReadOnlyList<LockDescriptor> Locks(IEnumerable<string> names, IReadOnlyList<LockDescriptor>? extra = null)
    {
        var all = ShippedLocks.All.Concat(extra ?? []).ToList();
        var wanted = names.ToList();
        if (wanted.Count == 0)
        {
            return all;
        }
        // Mutants are never part of a default run, but can be named.
        return wanted.Select(n => all.FirstOrDefault(l => l.Name == n) ?? MutantLocks.FirstOrDefault(l => l.Name == n)
            ?? throw new UsageException($"unknown lock '{n}' (known: {string.Join(", ", all.Select(l => l.Name))})")).ToList();
    }

    public static IReadOnlyList<Scenario> Scenarios(IEnumerable<string> names)
    {
        var wanted = names.ToList();
        if (wanted.Count == 0)
        {
            return ScenarioCatalog.Default;
        }
        if (wanted is ["all"])
        {
            return ScenarioCatalog.All;
        }
        return wanted.Select(n => ScenarioCatalog.Find(n)
            ?? throw new UsageException($"unknown scenario '{n}' (see `rwharness list`)")).ToList();
    }

    public static LockDescriptor? FindLock(string name, IReadOnlyList<LockDescriptor>? extra = null) =>
        ShippedLocks.All.Concat(extra ?? []).FirstOrDefault(l => l.Name == name);

    /// <summary>The deliberately broken variants (never shipped).</summary>
    public static IReadOnlyList<LockDescriptor> Mutants() => MutantLocks;

    /// <summary>A shipped lock or a mutant, by name (replay tokens may name either).</summary>
    public static LockDescriptor? FindLockOrMutant(string name) => FindLock(name) ?? MutantLocks.FirstOrDefault(l => l.Name == name);

    private static readonly IReadOnlyList<LockDescriptor> MutantLocks = MutantCatalog.All;
}
