using System.Reflection;
using NUnit.Framework;

namespace RwHarness.Cli.Tests;

/// <summary>
/// The verbs the issues name, end to end through the real executable, so .ci/run shows them working:
/// the default check, the cross-check of both engines, the mutation gate, a user's BCL lock under Coyote,
/// and bench feeding the gate.
/// </summary>
[TestFixture]
public sealed class MainJobTests
{
    private static string Metadata(string key) =>
        typeof(MainJobTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    [Test]
    public void TheDefaultCheckPassesEverySharedLock()
    {
        var (code, output, err) = CliTests.Run("check");
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Match(@"\d+ case\(s\): \d+ passed, 0 failed"));
        foreach (var lockName in new[] { "counter-negation", "reader-queue", "rwls-norecursion", "rwls-recursion", "bravo" })
        {
            Assert.That(output, Does.Contain("PASS native " + lockName));
        }
    }

    [Test]
    public void BothEnginesAgreeOnEveryShippedLock()
    {
        var (code, output, err) = CliTests.Run("check", "--engine", "both");
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Contain("PASS coyote"));
        Assert.That(output, Does.Not.Contain("engine-disagreement"));
        Assert.That(output, Does.Match(@"\d+ case\(s\): \d+ passed, 0 failed"));
    }

    [Test]
    public void TheMutationGateCatchesEveryMutant()
    {
        var (code, output, err) = CliTests.Run("mutants");
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(output, Does.Match(@"caught (\d+) of \1 mutants"));
    }

    [Test]
    public void CoyoteFindsTheSampleBugInAUsersPlainBclLockAndPassesItsFix()
    {
        var (code, output, err) = CliTests.Run("check", "--engine", "coyote", "--assembly", Path.GetFullPath(Metadata("SampleUserLocksPath")),
            "--lock", "counter-negation", "--scenario", "mutual-exclusion", "--iterations", "200");
        Assert.That(code, Is.EqualTo(1), output + err);
        Assert.That(output, Does.Match(@"FAIL coyote buggy-bcl-rw-lock\s+mutual-exclusion"));
        Assert.That(output, Does.Match(@"PASS coyote fixed-bcl-rw-lock\s+mutual-exclusion"));
        Assert.That(output, Does.Contain("replay: rwharness replay 'coyote1:buggy-bcl-rw-lock:"));
    }

    [Test]
    public void BenchWritesItsFilesAndTheGateReadsThem()
    {
        if (Metadata("Configuration") != "Release")
        {
            Assert.Ignore("BenchmarkDotNet measures Release builds only; .ci/run tests in Release");
        }
        var dir = Path.Combine(Path.GetTempPath(), "rwh-bench-" + Guid.NewGuid().ToString("N"));
        var (code, output, err) = CliTests.Run("bench", "--quick", "--no-redis", "--filter", "*Uncontended*Lock=interlocked*", "--filter", "*Uncontended*Lock=ReaderWriterLockSlim*", "--report", dir);
        Assert.That(code, Is.EqualTo(0), output + err);
        Assert.That(File.Exists(Path.Combine(dir, "bench.json")), Is.True);
        Assert.That(File.Exists(Path.Combine(dir, "bench.html")), Is.True);
        Assert.That(Directory.GetFiles(Path.Combine(dir, "BenchmarkDotNet", "results"), "*-report-full.json"), Is.Not.Empty);

        // The gate on the run against itself holds.
        var (sameCode, sameOut, sameErr) = CliTests.Run("gate", "--baseline", Path.Combine(dir, "bench.json"), "--results", dir);
        Assert.That(sameCode, Is.EqualTo(0), sameOut + sameErr);

        // A quick run's intervals may be wide enough to explain any drop, which the gate rightly forgives; so
        // compare this run's means with tight intervals against a baseline where interlocked was twice as fast.
        var tight = Path.Combine(dir, "tight");
        Directory.CreateDirectory(tight);
        File.WriteAllText(Path.Combine(tight, "bench.json"), Rewrite(Path.Combine(dir, "bench.json"), fasterLock: null));
        var faster = Path.Combine(dir, "faster-baseline.json");
        File.WriteAllText(faster, Rewrite(Path.Combine(dir, "bench.json"), fasterLock: "interlocked"));
        var (code2, out2, err2) = CliTests.Run("gate", "--baseline", faster, "--results", tight);
        Assert.That(code2, Is.EqualTo(1), out2 + err2);
        Assert.That(out2, Does.Contain("interlocked"));

        // --recheck measures a regression again in a fresh process: a real one repeats and stays...
        var (code3, out3, err3) = CliTests.Run("gate", "--baseline", faster, "--results", tight, "--recheck", "1");
        Assert.That(code3, Is.EqualTo(1), out3 + err3);
        Assert.That(out3, Does.Contain("confirmed in 1 fresh process"));
        Assert.That(err3, Does.Contain("measuring again in a fresh process"));

        // ...and one that the first measurement got wrong (made up here: interlocked's read pair at a quarter of its
        // speed) is dropped. The baseline is this run with tight intervals too: a quick run's own intervals can be
        // wide enough (one outlier iteration) to forgive even a 4x drop, and then there is nothing to recheck.
        var slowed = Path.Combine(dir, "slowed");
        Directory.CreateDirectory(slowed);
        File.WriteAllText(Path.Combine(slowed, "bench.json"), Rewrite(Path.Combine(dir, "bench.json"), fasterLock: "interlocked", factor: 0.25, workload: "uncontended-read"));
        var tightBaseline = Path.Combine(dir, "tight-baseline.json");
        File.WriteAllText(tightBaseline, Rewrite(Path.Combine(dir, "bench.json"), fasterLock: null));
        var (code4, out4, err4) = CliTests.Run("gate", "--baseline", tightBaseline, "--results", slowed);
        Assert.That(code4, Is.EqualTo(1), "without a recheck the made-up drop fails the gate: " + out4 + err4);
        var (code5, out5, err5) = CliTests.Run("gate", "--baseline", tightBaseline, "--results", slowed, "--recheck", "2");
        Assert.That(code5, Is.EqualTo(0), out5 + err5);
        Assert.That(out5, Does.Contain("rechecked lock interlocked"));
    }

    /// <summary>
    /// bench.json with every interval shrunk to its mean, and <paramref name="fasterLock"/> <paramref name="factor"/> times
    /// as fast (in <paramref name="workload"/> only, if given).
    /// </summary>
    private static string Rewrite(string benchJson, string? fasterLock, double factor = 2, string? workload = null)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(benchJson))!;
        foreach (var r in json["records"]!.AsArray())
        {
            if ((string?)r!["lock"] == fasterLock && (workload is null || (string?)r["workload"] == workload))
            {
                r["opsPerSec"] = (double)r["opsPerSec"]! * factor;
                r["meanNs"] = (double)r["meanNs"]! / factor;
            }
            r["ciLowerNs"] = (double)r["meanNs"]!;
            r["ciUpperNs"] = (double)r["meanNs"]!;
        }
        return json.ToJsonString();
    }
}
