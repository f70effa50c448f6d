using RwHarness.Results;

namespace RwHarness.Cli.Commands;

/// <summary>One line per case; failures get their message, interleaving and replay token.</summary>
internal static class CasePrinter
{
    public static void Print(CaseResult r)
    {
        var verdict = r.Verdict == Verdicts.Pass ? "PASS" : "FAIL";
        var coverage = r.Coverage == Coverages.Complete ? $"complete{(r.PreemptionBound is { } pb ? $", pb {pb}" : "")}" : "sampled";
        var expected = r.Expected == "holds" ? "" : $" expected {r.Expected};";
        Console.WriteLine($"{verdict} {r.Engine,-6} {r.Lock,-18} {r.Scenario,-28} {r.Strategy,-8}{expected} {r.Iterations} schedules ({coverage}), {r.Steps} steps, {r.ElapsedMs} ms");
        if (r.Verdict == Verdicts.Fail && r.Failure is { } f)
        {
            Console.WriteLine($"     {f.Kind}: {f.Message}");
            foreach (var line in f.Trace.TakeLast(60))
            {
                Console.WriteLine("     " + line);
            }
            if (!string.IsNullOrEmpty(f.Replay))
            {
                Console.WriteLine($"     replay: rwharness replay '{f.Replay}'");
            }
        }
    }
}
