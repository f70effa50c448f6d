using RwHarness.Benchmarks;

// The suite on its own: dotnet run -c Release --project scenarios/RwHarness.Benchmarks -- [--list] [--quick] [--report DIR] [--filter GLOB]...
// (`rwharness bench` runs the same BenchSuite.Run.) A filter is always passed to BenchmarkDotNet, so it never asks for input.
var quick = false;
var list = false;
var report = "bench-report";
var filters = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--list":
            list = true;
            break;
        case "--quick":
            quick = true;
            break;
        case "--report" when i + 1 < args.Length:
            report = args[++i];
            break;
        case "--filter" when i + 1 < args.Length:
            filters.Add(args[++i]);
            break;
        default:
            Console.Error.WriteLine($"RwHarness.Benchmarks: unknown or incomplete argument '{args[i]}' (usage: [--list] [--quick] [--report DIR] [--filter GLOB]...)");
            return BenchSuite.BadInput;
    }
}
if (list)
{
    BenchSuite.List(filters.Count == 0 ? ["*"] : filters).ForEach(Console.WriteLine);
    return 0;
}
return BenchSuite.Run(
    new BenchOptions
    {
        Quick = quick,
        ReportDir = report,
        Filters = filters.Count == 0 ? ["*"] : filters,
        CommandLine = "RwHarness.Benchmarks " + string.Join(" ", args),
    },
    Console.Out);
