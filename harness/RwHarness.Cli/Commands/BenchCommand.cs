using System.CommandLine;
using RwHarness.Benchmarks;

namespace RwHarness.Cli.Commands;

/// <summary>
/// <c>rwharness bench [--quick] [--report DIR] [--filter GLOB]...</c>: runs the BenchmarkDotNet suite
/// (scenarios/RwHarness.Benchmarks) in this process, keeps BenchmarkDotNet's HTML/CSV/JSON exports under
/// DIR/BenchmarkDotNet, and writes DIR/bench.json and DIR/bench.html. Needs a Release build of the CLI.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "short job (1 warmup, 5 iterations of ~30 ms): the whole suite in a few minutes" };
        var report = new Option<string>("--report") { Description = "directory for bench.json, bench.html and BenchmarkDotNet's exports", DefaultValueFactory = _ => "bench-report" };
        var filter = new Option<string[]>("--filter")
        {
            Description = "glob over names like RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads=2, ReadPercent=99, Lock=bravo); repeatable; default *",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("bench", "Run the BenchmarkDotNet throughput suite and write bench.json and bench.html.");
        command.Options.Add(quick);
        command.Options.Add(report);
        command.Options.Add(filter);
        var noRedis = new Option<bool>("--no-redis") { Description = "skip the Redis lock's cycles/s (measured against a throwaway redis-server when one is installed)" };
        command.Options.Add(noRedis);
        command.SetAction(p => Guard.Run("bench", () =>
        {
            var filters = p.GetValue(filter) is { Length: > 0 } f ? f : ["*"];
            var dir = p.GetValue(report);
            if (string.IsNullOrWhiteSpace(dir))
            {
                throw new UsageException("--report needs a directory");
            }
            var args = new List<string> { "rwharness", "bench" };
            if (p.GetValue(quick))
            {
                args.Add("--quick");
            }
            args.AddRange(["--report", dir]);
            foreach (var g in p.GetValue(filter) ?? [])
            {
                args.AddRange(["--filter", g]);
            }
            var code = BenchSuite.Run(
                new BenchOptions { Quick = p.GetValue(quick), ReportDir = dir, Filters = filters, CommandLine = string.Join(" ", args) },
                Console.Out);
            return code != ExitCodes.Ok || p.GetValue(noRedis) ? code : RedisBench.Append(dir, p.GetValue(quick), Console.Out);
        }));
        return command;
    }
}
