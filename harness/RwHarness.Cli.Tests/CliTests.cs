using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;

namespace RwHarness.Cli.Tests;

/// <summary>Runs the built rwharness as a separate process, as a user or CI does.</summary>
[TestFixture]
public sealed class CliTests
{
    internal static (int Code, string Out, string Err) Run(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "rwharness.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"rwharness {string.Join(' ', args)} did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [TestCase("check", "--lock", "nope")]
    [TestCase("check", "--strategy", "bogus")]
    [TestCase("check", "--iterations", "abc")]
    [TestCase("check", "--iterations", "0", "--strategy", "random")]
    [TestCase("check", "--time-budget", "-5s")]
    [TestCase("check", "--assembly", "/no/such.dll")]
    [TestCase("replay", "garbage")]
    [TestCase("replay", "rwh1:counter-negation:no-such-scenario:dfs:1:0:100:a")]
    [TestCase("report", "--results", "/no/such/dir")]
    [TestCase("gate", "--baseline", "/no/such.json", "--results", "/tmp")]
    [TestCase("gate", "--baseline", "/no/such.json", "--results", "/tmp", "--recheck", "9")]
    [TestCase("nosuchverb")]
    public void BadInputIsOneLineAndExitCode2(params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.That(code, Is.EqualTo(2), err);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), err);
        Assert.That(err, Does.Not.Contain("   at "), "a stack trace leaked");
        Assert.That(err, Does.StartWith("rwharness"));
    }

    [Test]
    public void A_recheck_that_cannot_measure_keeps_the_finding()
    {
        // A regressed cell whose benchmark case no longer exists: the fresh process measures nothing, so the
        // finding stands (a recheck never turns "could not measure" into a pass).
        var dir = Path.Combine(Path.GetTempPath(), "rwh-recheck-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        static string Bench(double lockOps) => JsonSerializer.Serialize(new
        {
            schemaVersion = "1.0",
            records = new[]
            {
                Record("interlocked", lockOps, "No.Such.Benchmark(Lock: \"interlocked\")"),
                Record("ReaderWriterLockSlim", 50e6, "No.Such.Benchmark(Lock: \"ReaderWriterLockSlim\")"),
            },
        });
        static object Record(string l, double ops, string benchmark) => new
        {
            @lock = l,
            workload = "uncontended-read",
            threads = 1,
            readRatio = 100,
            opsPerSec = ops,
            meanNs = 1e9 / ops,
            ciLowerNs = 1e9 / ops,
            ciUpperNs = 1e9 / ops,
            benchmark,
        };
        var baseline = Path.Combine(dir, "baseline.json");
        File.WriteAllText(baseline, Bench(100e6));
        File.WriteAllText(Path.Combine(dir, "bench.json"), Bench(50e6));

        var (code, output, err) = Run("gate", "--baseline", baseline, "--results", dir, "--recheck", "1");
        Assert.That(code, Is.EqualTo(1), output + err);
        Assert.That(output, Does.Contain("FAIL regression: lock interlocked").And.Contain("confirmed in 1 fresh process: not measured"));
        Assert.That(err, Does.Contain("the re-measurement failed"));
    }

    [Test]
    public void ListNamesEveryLockAndScenario()
    {
        var (code, output, _) = Run("list");
        Assert.That(code, Is.EqualTo(0));
        foreach (var name in new[] { "counter-negation", "reader-queue", "rwls-norecursion", "rwls-recursion", "bravo", "mutual-exclusion", "recursion-deadlock", "router" })
        {
            Assert.That(output, Does.Contain(name));
        }
    }

    [Test]
    public void AFailingCheckExitsOneWritesReportsAndItsTokenReplays()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rwh-cli-" + Guid.NewGuid().ToString("N"));
        var (code, output, err) = Run("check", "--lock", "mutant-bravo-writer-skips-drain", "--scenario", "mutual-exclusion", "--strategy", "dfs", "--report", dir);
        Assert.That(code, Is.EqualTo(1), output + err);
        foreach (var file in new[] { "results.json", "junit.xml", "index.html" })
        {
            Assert.That(File.Exists(Path.Combine(dir, file)), Is.True, file);
        }
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "results.json")));
        var result = json.RootElement.GetProperty("results")[0];
        Assert.That(result.GetProperty("verdict").GetString(), Is.EqualTo("fail"));
        Assert.That(result.GetProperty("engine").GetString(), Is.EqualTo("native"));
        Assert.That(result.GetProperty("coverage").GetString(), Is.EqualTo("sampled"));
        var failure = result.GetProperty("failure");
        Assert.That(failure.GetProperty("kind").GetString(), Is.EqualTo("invariant"));
        var token = failure.GetProperty("replay").GetString()!;

        var (replayCode, replayOut, _) = Run("replay", token);
        Assert.That(replayCode, Is.EqualTo(1));
        Assert.That(replayOut, Does.Contain("invariant: a writer and 1 reader(s) hold the lock together"));
        var traceLines = failure.GetProperty("trace").EnumerateArray().Select(e => e.GetString()!).ToList();
        foreach (var line in traceLines)
        {
            Assert.That(replayOut, Does.Contain(line), "the replay printed a different interleaving");
        }
    }

    [Test]
    public void APassingCheckExitsZero()
    {
        var (code, output, err) = Run("check", "--lock", "counter-negation", "--scenario", "readers-share", "--strategy", "dfs");
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("1 passed, 0 failed"));
    }
}
