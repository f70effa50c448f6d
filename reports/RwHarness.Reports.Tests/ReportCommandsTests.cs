using RwHarness.Results;

namespace RwHarness.Reports.Tests;

public class ReportCommandsTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("rwh-report-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, true);

    [Test]
    public void WriteAll_writes_the_three_files_and_results_json_round_trips()
    {
        ReportWriter.WriteAll(_dir, Fixtures.Sample());
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName).Order(), Is.EqualTo(new[] { "index.html", "junit.xml", "results.json" }));
        var back = ResultsJson.Read(_dir);
        Assert.That(back.Results, Has.Count.EqualTo(Fixtures.Sample().Results.Count));
        Assert.That(back.Results.Single(c => c.Failure?.Kind == "invariant").Failure!.Steps[7].State, Does.Contain("holders=R0,W"));
    }

    [Test]
    public void Report_rebuilds_index_and_junit_from_results_json()
    {
        ResultsJson.Write(_dir, Fixtures.Sample());
        BenchResults.Write(_dir, BenchFixtures.Run());
        var output = new StringWriter();
        Assert.That(ReportCommands.Report(_dir, output), Is.EqualTo(ReportCommands.Ok));
        Assert.That(File.Exists(Path.Combine(_dir, "index.html")) && File.Exists(Path.Combine(_dir, "junit.xml")) && File.Exists(Path.Combine(_dir, "bench.html")));
        Assert.That(output.ToString(), Does.Contain("index.html").And.Contain("bench.html"));
    }

    [Test]
    public void Report_on_bad_input_prints_one_line_and_returns_2()
    {
        var output = new StringWriter();
        Assert.That(ReportCommands.Report(Path.Combine(_dir, "missing"), output), Is.EqualTo(ReportCommands.BadInput));
        AssertOneLine(output, "results directory not found");

        output = new StringWriter();
        Assert.That(ReportCommands.Report(_dir, output), Is.EqualTo(ReportCommands.BadInput));
        AssertOneLine(output, "neither results.json nor bench.json");

        File.WriteAllText(Path.Combine(_dir, "results.json"), "{\"results\": 42}");
        output = new StringWriter();
        Assert.That(ReportCommands.Report(_dir, output), Is.EqualTo(ReportCommands.BadInput));
        AssertOneLine(output, "not a valid results file");
    }

    [Test]
    public void Gate_passes_on_identical_bench_and_clean_results()
    {
        var baseline = Path.Combine(_dir, "baseline.json");
        File.WriteAllText(baseline, BenchResults.Serialize(BenchFixtures.Run()));
        var results = Path.Combine(_dir, "run");
        BenchResults.Write(results, BenchFixtures.Run());
        var clean = new RunResults();
        clean.Results.Add(Fixtures.Pass("a", "b"));
        ResultsJson.Write(results, clean);
        var output = new StringWriter();
        Assert.That(ReportCommands.Gate(baseline, results, 0.15, output), Is.EqualTo(ReportCommands.Ok));
        Assert.That(output.ToString(), Does.Contain("gate: passed (51 ratios compared)"));
    }

    [Test]
    public void Gate_fails_with_one_line_per_finding()
    {
        var baseline = Path.Combine(_dir, "baseline.json");
        File.WriteAllText(baseline, BenchResults.Serialize(BenchFixtures.Run()));
        var results = Path.Combine(_dir, "run");
        BenchResults.Write(results, BenchFixtures.Run(scale: (l, w, _, _) => l == "reader-queue" && w == "uncontended-write" ? 0.5 : 1.0));
        ResultsJson.Write(results, Fixtures.Sample());
        var output = new StringWriter();
        Assert.That(ReportCommands.Gate(baseline, results, 0.15, output), Is.EqualTo(ReportCommands.Failed));
        var fails = output.ToString().Split('\n').Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)).ToList();
        Assert.That(fails, Has.Count.EqualTo(1 + 2 + 1 + 1), "regression, two failed cases, a stress failure, a missed mutant");
        Assert.That(fails[0], Does.Contain("reader-queue").And.Contain("uncontended-write").And.Contain("0.850 now vs 1.700"));
    }

    [Test]
    public void Gate_on_bad_input_prints_one_line_and_returns_2()
    {
        var output = new StringWriter();
        Assert.That(ReportCommands.Gate(Path.Combine(_dir, "nope.json"), _dir, 0.15, output), Is.EqualTo(ReportCommands.BadInput));
        AssertOneLine(output, "baseline file not found");

        var baseline = Path.Combine(_dir, "baseline.json");
        File.WriteAllText(baseline, "garbage");
        BenchResults.Write(Path.Combine(_dir, "run"), BenchFixtures.Run());
        output = new StringWriter();
        Assert.That(ReportCommands.Gate(baseline, Path.Combine(_dir, "run"), 0.15, output), Is.EqualTo(ReportCommands.BadInput));
        AssertOneLine(output, "not a valid bench results file");

        output = new StringWriter();
        Assert.That(ReportCommands.Gate(baseline, Path.Combine(_dir, "run"), 2.0, output), Is.EqualTo(ReportCommands.BadInput));
        AssertOneLine(output, "--threshold");
    }

    private static void AssertOneLine(StringWriter output, string contains)
    {
        var text = output.ToString();
        Assert.That(text.TrimEnd().Split('\n'), Has.Length.EqualTo(1), text);
        Assert.That(text, Does.Contain(contains).And.Not.Contain("   at "));
    }
}
