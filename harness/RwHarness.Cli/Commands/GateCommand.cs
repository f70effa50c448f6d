using System.CommandLine;
using RwHarness.Reports;

namespace RwHarness.Cli.Commands;

/// <summary><c>rwharness gate --baseline FILE --results DIR</c>: exit 1 on a regression, a failed verdict or a missed mutant.</summary>
internal static class GateCommand
{
    public static Command Create()
    {
        var baseline = new Option<string>("--baseline") { Description = "baseline bench.json", Required = true };
        var results = new Option<string>("--results") { Description = "directory holding results.json and/or bench.json", Required = true };
        var threshold = new Option<double>("--threshold") { Description = "relative ratio drop that fails the gate (default 0.15)", DefaultValueFactory = _ => 0.15 };
        var recheck = new Option<int>("--recheck")
        {
            Description = "measure each throughput regression again up to N times (0-5), each in a fresh process; it fails the gate only if it repeats every time",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("gate", "Compare throughput ratios against a baseline and check verdicts and the mutation score.");
        command.Options.Add(baseline);
        command.Options.Add(results);
        command.Options.Add(threshold);
        command.Options.Add(recheck);
        command.SetAction(p => Guard.Captured("gate", output =>
        {
            var t = p.GetValue(threshold);
            if (t is <= 0 or >= 1)
            {
                throw new UsageException("--threshold must be between 0 and 1 (for example 0.15)");
            }
            var n = p.GetValue(recheck);
            if (n is < 0 or > 5)
            {
                throw new UsageException("--recheck must be between 0 and 5");
            }
            return ReportCommands.Gate(p.GetValue(baseline)!, p.GetValue(results)!, t, output, BenchResults.DefaultBaseline, n, FreshProcessBench.Measure);
        }));
        return command;
    }
}
