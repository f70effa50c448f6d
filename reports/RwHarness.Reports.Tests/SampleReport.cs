namespace RwHarness.Reports.Tests;

/// <summary>
/// Writes the fixture reports somewhere a browser can open them (for the screenshot in docs/images):
/// <c>RWH_SAMPLE_OUT=/tmp/sample dotnet test reports/RwHarness.Reports.Tests --filter SampleReport</c>.
/// Explicit: never part of a normal run.
/// </summary>
[Explicit("writes sample reports for a person to look at")]
public class SampleReport
{
    [Test]
    public void Write()
    {
        var dir = Environment.GetEnvironmentVariable("RWH_SAMPLE_OUT") ?? Path.Combine(TestContext.CurrentContext.WorkDirectory, "sample-report");
        ReportWriter.WriteAll(dir, Fixtures.Sample());
        ReportWriter.WriteBench(dir, BenchFixtures.Run());
        ReportWriter.WriteAll(Path.Combine(dir, "large"), EscapingAndSizeTests.Large());
        TestContext.Out.WriteLine("wrote " + dir);
    }
}
