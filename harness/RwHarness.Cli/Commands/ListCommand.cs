using System.CommandLine;
using RwHarness.Engine;
using RwHarness.Locks.Catalog;
using RwHarness.Model;
using RwHarness.Scenarios;

namespace RwHarness.Cli.Commands;

/// <summary><c>rwharness list</c>: locks, scenarios, strategies, engines.</summary>
internal static class ListCommand
{
    public static Command Create()
    {
        var command = new Command("list", "List the locks, scenarios, strategies and engines.");
        command.SetAction(_ => Guard.Run("list", Run));
        return command;
    }

    private static int Run()
    {
        Console.WriteLine("locks:");
        foreach (var l in ShippedLocks.All)
        {
            Console.WriteLine($"  {l.Name,-20} {Traits(l)}");
            if (!string.IsNullOrEmpty(l.Description))
            {
                Console.WriteLine($"  {"",-20} {l.Description}");
            }
        }
        Console.WriteLine();
        Console.WriteLine("scenarios (* = run by a plain `check`; `--scenario all` runs every one):");
        foreach (var s in ScenarioCatalog.All)
        {
            var mark = ScenarioCatalog.Default.Contains(s) ? "*" : " ";
            Console.WriteLine($" {mark}{s.Name,-30} {s.Description}");
        }
        Console.WriteLine();
        Console.WriteLine($"strategies: {string.Join(", ", CheckOptions.StrategyNames)} (default: a portfolio of dfs with preemption bound 2, pct and random)");
        Console.WriteLine("engines:    native (default), coyote, both");
        return ExitCodes.Ok;
    }

    private static string Traits(LockDescriptor l) =>
        string.Join(" ", Enum.GetValues<LockTraits>()
            .Where(t => t is not LockTraits.None and not LockTraits.Go && l.Has(t))
            .Select(t => t.ToString()));
}
