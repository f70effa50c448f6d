using NUnit.Framework;
using RwHarness.Engine.Tests.Programs;

namespace RwHarness.Engine.Tests;

/// <summary>
/// Pins the readable interleaving format with golden files (as Lincheck does): a change to the trace
/// format shows as a diff here. Regenerate on purpose with RWH_UPDATE_GOLDEN=1.
/// </summary>
[TestFixture]
public sealed class GoldenTraceTests
{
    [TestCase("lost-update")]
    [TestCase("abba")]
    [TestCase("lost-wakeup")]
    public void TraceMatchesGoldenFile(string program)
    {
        var found = Explorer.Explore("none", program, KnownBugTests.Program(program, fixedVersion: false), new CheckOptions { Strategy = "dfs", Iterations = 1000 });
        Assert.That(found.Failure, Is.Not.Null);
        var actual = string.Join("\n", [$"{found.Failure!.Kind}: {found.Failure.Message}", .. found.Failure.TraceLines, $"replay: {found.Failure.Token}"]) + "\n";
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Golden", program + ".txt");
        if (Environment.GetEnvironmentVariable("RWH_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "..", "..", "..", "Golden", program + ".txt");
            File.WriteAllText(source, actual);
            Assert.Ignore("golden file rewritten");
        }
        Assert.That(File.Exists(path), Is.True, $"missing golden file {path}; run with RWH_UPDATE_GOLDEN=1 to create it");
        Assert.That(actual, Is.EqualTo(File.ReadAllText(path)));
    }
}
