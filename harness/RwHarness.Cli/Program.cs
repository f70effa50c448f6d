using System.CommandLine;
using RwHarness.Cli;
using RwHarness.Cli.Commands;

// rwharness: see README.md for the verbs, their options and exit codes.
// Client processes of `redis-stress` run this same executable with a hidden verb and raw arguments.
if (args is [RedisStressCommand.ClientVerb, ..])
{
    return RwHarness.Locks.Redis.Stress.RedisStress.RunClient(args[1..], Console.Out, Console.In);
}

var root = new RootCommand("RwHarness: finds bugs in reader/writer locks by systematic interleaving exploration, stress, benchmarks and reports.");
foreach (var command in new[]
{
    ListCommand.Create(),
    CheckCommand.Create(),
    ReplayCommand.Create(),
    ReportCommand.Create(),
    GateCommand.Create(),
    BenchCommand.Create(),
    RedisStressCommand.Create(),
    CompareEnginesCommand.Create(),
    MutantsCommand.Create(),
    StressCommand.Create(),
})
{
    root.Subcommands.Add(command);
}

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    Console.Error.WriteLine($"rwharness: {UsageErrors.Describe(parsed.Errors.Select(e => e.Message))} (see `rwharness --help`)");
    return ExitCodes.Usage;
}
return parsed.Invoke();
