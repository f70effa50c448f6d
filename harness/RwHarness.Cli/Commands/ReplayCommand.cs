using System.CommandLine;
using RwHarness.Coyote;
using RwHarness.Engine;
using RwHarness.Scenarios;

namespace RwHarness.Cli.Commands;

/// <summary><c>rwharness replay TOKEN</c>: re-runs one interleaving and prints it. Exit 1 when it fails.</summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var token = new Argument<string>("token") { Description = "a replay token from a failure (rwh1:… native, coyote1:… Coyote)" };
        var command = new Command("replay", "Re-run one recorded interleaving and print it, operation by operation.");
        command.Arguments.Add(token);
        command.SetAction(p => Guard.Run("replay", () =>
        {
            var text = p.GetValue(token)!.Trim();
            if (text.StartsWith("coyote1:", StringComparison.Ordinal))
            {
                var r = CoyoteRunner.Replay(text, ScenarioCatalog.Find, n => Catalogs.FindLockOrMutant(n));
                CasePrinter.Print(r);
                return r.Verdict == Results.Verdicts.Pass && r.Failure is null ? ExitCodes.Ok : ExitCodes.Failed;
            }
            var t = Engine.ReplayToken.Parse(text);
            var scenario = ScenarioCatalog.Find(t.Scenario) ?? throw new UsageException($"the token names an unknown scenario '{t.Scenario}'");
            var lk = Catalogs.FindLockOrMutant(t.Lock) ?? throw new UsageException($"the token names an unknown lock '{t.Lock}'");
            var replay = Explorer.Replay(t, () => scenario.Create<ControlledSync>(lk));
            Console.WriteLine($"{lk.Name} x {scenario.Name}, {t.Strategy} seed {t.Seed} iteration {t.Iteration}, {t.Decisions.Count} choices");
            foreach (var line in replay.TraceLines)
            {
                Console.WriteLine(line);
            }
            Console.WriteLine(replay.Kind == "witness" ? "the schedule ran to completion: no failure" : $"{replay.Kind}: {replay.Message}");
            return replay.Kind == "witness" ? ExitCodes.Ok : ExitCodes.Failed;
        }));
        return command;
    }
}
