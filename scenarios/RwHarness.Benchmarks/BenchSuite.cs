using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Csv;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using RwHarness.Reports;
using RwHarness.Results;

namespace RwHarness.Benchmarks;

/// <summary>What <see cref="BenchSuite.Run"/> is asked to do.</summary>
public sealed record BenchOptions
{
    /// <summary>Short job: 1 warmup, 5 iterations of about 30 ms each. The whole suite takes about 3 minutes on 2 idle cores.</summary>
    public bool Quick { get; init; }

    /// <summary>Where bench.json, bench.html and BenchmarkDotNet's exports (under <c>BenchmarkDotNet/</c>) go.</summary>
    public string ReportDir { get; init; } = "bench-report";

    /// <summary>BenchmarkDotNet glob filters over <c>Namespace.Type.Method</c>; <c>*</c> runs everything.</summary>
    public IReadOnlyList<string> Filters { get; init; } = ["*"];

    /// <summary>Recorded in bench.json.</summary>
    public string CommandLine { get; init; } = "rwharness bench";
}

/// <summary>
/// The suite: runs the benchmark classes in this process with BenchmarkDotNet (InProcessEmitToolchain, so
/// nothing is built at run time and the Release build being run is the one measured), keeps its
/// HTML/CSV/JSON exports, converts the JSON into bench.json and writes bench.html.
/// </summary>
public static class BenchSuite
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;

    public const string ArtifactsFolder = "BenchmarkDotNet";
    public const string EngineStepsFile = "rwharness-engine-steps.json";
    public const string TargetsFile = "targets.md";

    public static readonly Type[] BenchmarkTypes =
        [typeof(UncontendedBenchmarks), typeof(ThroughputBenchmarks), typeof(CounterBaselines), typeof(EngineBenchmarks)];

    /// <summary>Whether <paramref name="assembly"/> was compiled with optimizations (a Release build).</summary>
    public static bool IsOptimized(Assembly assembly) =>
        assembly.GetCustomAttribute<DebuggableAttribute>() is not { IsJITOptimizerDisabled: true };

    /// <summary>The BenchmarkDotNet configuration: one in-process job, memory diagnoser, JSON (full), CSV, HTML and GitHub-markdown exports.</summary>
    public static IConfig Config(BenchOptions options, string artifactsPath)
    {
        // Quick: 6 warmup iterations (180 ms). .NET promotes a method from tier-0 to optimized code only after
        // 30 calls and a 100 ms quiet period without new tier-0 compilations; with 1 warmup iteration the
        // measured iterations still ran a lock's non-inlined methods as tier-0 code (BRAVO's read pair
        // measured 23 ns in such a run and 6.7 ns once optimized).
        var job = options.Quick
            ? Job.Default.WithId("quick").WithWarmupCount(6).WithIterationCount(5).WithIterationTime(TimeInterval.FromMilliseconds(30))
            : Job.Default.WithId("full").WithIterationTime(TimeInterval.FromMilliseconds(200)).WithMinIterationCount(10).WithMaxIterationCount(40);
        // The workloads loop internally (1024 pairs, or 480 000 operations over the threads), so unrolling
        // the invocation buys nothing and would multiply the cost of a slow case by 16.
        job = job.WithUnrollFactor(1).WithToolchain(InProcessEmitToolchain.Instance);
        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(JsonExporter.Full, CsvExporter.Default, HtmlExporter.Default, MarkdownExporter.GitHub)
            .AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray())
            .AddValidator(DefaultConfig.Instance.GetValidators().ToArray())
            .AddFilter(new SimpleFilter(c => Matches(options.Filters, FilterName(c))))
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.KeepBenchmarkFiles)
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(30));
    }

    /// <summary>
    /// The name a <c>--filter</c> glob is matched against (case-insensitive, <c>*</c> and <c>?</c>):
    /// <c>RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads=2, ReadPercent=99, Lock=bravo)</c>.
    /// </summary>
    public static string FilterName(BenchmarkCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var name = c.Descriptor.Type.FullName + "." + c.Descriptor.WorkloadMethod.Name;
        return c.Parameters.Count == 0 ? name : $"{name}({string.Join(", ", c.Parameters.Items.Select(p => $"{p.Name}={p.Value}"))})";
    }

    /// <summary>The filter names of every benchmark case that <paramref name="filters"/> select.</summary>
    public static List<string> List(IReadOnlyList<string> filters) =>
        BenchmarkTypes.SelectMany(t => BenchmarkConverter.TypeToBenchmarks(t).BenchmarksCases).Select(FilterName).Where(n => Matches(filters, n)).ToList();

    /// <summary>Whether <paramref name="name"/> matches any of the globs.</summary>
    public static bool Matches(IEnumerable<string> globs, string name) =>
        globs.Any(g => Regex.IsMatch(name, "^" + Regex.Escape(g).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    /// <summary>Runs the suite and writes the report. Returns 0, or 2 with one line on <paramref name="output"/>.</summary>
    public static int Run(BenchOptions options, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        if (options.Filters.Count == 0 || options.Filters.Any(string.IsNullOrWhiteSpace))
        {
            return Bad(output, "--filter needs a glob, for example '*Throughput*'");
        }
        if (string.IsNullOrWhiteSpace(options.ReportDir))
        {
            return Bad(output, "--report needs a directory");
        }
        var notOptimized = new[] { typeof(BenchSuite).Assembly, Assembly.GetEntryAssembly() }.OfType<Assembly>().FirstOrDefault(a => !IsOptimized(a));
        if (notOptimized is not null)
        {
            return Bad(output, $"BenchmarkDotNet needs a Release build, but {notOptimized.GetName().Name} is a Debug build: run it with `-c Release`");
        }

        var reportDir = Path.GetFullPath(options.ReportDir);
        var artifacts = Path.Combine(reportDir, ArtifactsFolder);
        Directory.CreateDirectory(artifacts);
        var started = DateTimeOffset.UtcNow;
        var loadBefore = LoadAverage();
        var clock = Stopwatch.StartNew();
        EngineBenchmarks.StepsPerIteration.Clear();

        var config = Config(options, artifacts);
        var summaries = BenchmarkRunner.Run(BenchmarkTypes, config).Where(s => s.BenchmarksCases.Length > 0).ToList();
        clock.Stop();
        if (summaries.Count == 0)
        {
            return Bad(output, $"no benchmark matches --filter {string.Join(" ", options.Filters)} (names look like RwHarness.Benchmarks.ThroughputBenchmarks.Empty(Threads=2, ReadPercent=99, Lock=bravo))");
        }
        if (summaries.FirstOrDefault(s => s.HasCriticalValidationErrors) is { } invalid)
        {
            return Bad(output, "BenchmarkDotNet refused the run: " + string.Join("; ", invalid.ValidationErrors.Where(e => e.IsCritical).Select(e => e.Message)));
        }

        // BenchmarkDotNet's own exports must be there: full JSON (converted below), CSV and HTML.
        var jsonFiles = new List<string>();
        var exports = new List<string>();
        foreach (var s in summaries)
        {
            // A per-type summary's exports are named after the type (its Title adds a timestamp); a joined one after its Title.
            var stems = new[] { s.BenchmarksCases[0].Descriptor.Type.FullName ?? s.Title, s.Title };
            foreach (var suffix in new[] { "-report-full.json", "-report.csv", "-report.html" })
            {
                var path = stems.Select(stem => Path.Combine(s.ResultsDirectoryPath, stem + suffix)).FirstOrDefault(File.Exists);
                if (path is null || File.GetLastWriteTimeUtc(path) < started.UtcDateTime.AddSeconds(-1))
                {
                    return Bad(output, $"BenchmarkDotNet did not write {Path.Combine(s.ResultsDirectoryPath, stems[0] + suffix)} in this run");
                }
                exports.Add(path);
                if (suffix.EndsWith(".json", StringComparison.Ordinal))
                {
                    jsonFiles.Add(path);
                }
            }
        }
        var steps = new Dictionary<string, double>(EngineBenchmarks.StepsPerIteration, StringComparer.Ordinal);
        if (steps.Count > 0)
        {
            File.WriteAllText(Path.Combine(summaries[0].ResultsDirectoryPath, EngineStepsFile), JsonSerializer.Serialize(steps));
        }

        var skipped = new List<string>();
        var bench = new BenchResults
        {
            Run = new RunInfo
            {
                CommandLine = options.CommandLine,
                StartedUtc = started,
                ElapsedMs = clock.ElapsedMilliseconds,
                Machine = MachineInfo.Current(),
            },
            Baseline = LockUnderTest.Rwls,
            LoadAverage = $"{loadBefore} at start, {LoadAverage()} at end",
            Records = BdnJson.Convert(jsonFiles, steps, skipped),
        };
        if (bench.Records.Count == 0)
        {
            return Bad(output, "BenchmarkDotNet measured nothing: every case failed (see its log above)");
        }
        ReportWriter.WriteBench(reportDir, bench);
        var benchJson = Path.Combine(reportDir, BenchResults.FileName);
        var benchHtml = Path.Combine(reportDir, ReportWriter.BenchHtmlFileName);
        foreach (var f in new[] { benchJson, benchHtml })
        {
            if (!File.Exists(f))
            {
                return Bad(output, $"could not write {f}");
            }
        }
        var targets = SpeedTargets.Evaluate(bench);
        File.WriteAllText(Path.Combine(reportDir, TargetsFile), SpeedTargets.Markdown(targets, bench));

        output.WriteLine();
        foreach (var t in targets)
        {
            output.WriteLine(t.ToString());
        }
        foreach (var s in skipped)
        {
            output.WriteLine($"no statistics (the case failed): {s}");
        }
        output.WriteLine($"bench: {bench.Records.Count} records from {summaries.Sum(s => s.BenchmarksCases.Length)} BenchmarkDotNet cases in {clock.Elapsed.TotalSeconds:0} s; load average {bench.LoadAverage}");
        foreach (var e in exports)
        {
            output.WriteLine($"  {e}");
        }
        output.WriteLine($"wrote {benchJson}");
        output.WriteLine($"wrote {benchHtml}");
        return skipped.Count == 0 ? Ok : Failed;
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg, or "unknown".</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return string.Join(" ", parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
        catch (UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static int Bad(TextWriter output, string message)
    {
        output.WriteLine("rwharness bench: " + message.ReplaceLineEndings(" "));
        return BadInput;
    }
}
