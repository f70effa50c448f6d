using System.Text;
using System.Xml.Linq;
using AngleSharp.Html.Parser;
using RwHarness.Results;

namespace RwHarness.Reports.Tests;

public class EscapingAndSizeTests
{
    private const string HostileLock = "<script>alert('lock')</script>";
    private const string HostileScenario = "\"><img src=x onerror=alert(1)>&amp;";
    private const string HostileMessage = "</pre><script>document.body.innerHTML='pwned'</script>";
    private const string HostileToken = "v1\" onclick=\"alert(2)";

    private static RunResults Hostile()
    {
        var r = Fixtures.Sample();
        r.Run.CommandLine = "rwharness check --lock '<b>x</b>'";
        var c = Fixtures.Pass(HostileLock, HostileScenario);
        c.Verdict = Verdicts.Fail;
        c.Failure = Fixtures.InvariantFailure();
        c.Failure.Message = HostileMessage;
        c.Failure.Replay = HostileToken;
        c.Failure.Threads = ["<i>reader</i>", "r1", "w"];
        c.Failure.Steps[7].State = "<svg onload=alert(3)>";
        c.Failure.Program = "<!-- program -->";
        r.Results.Add(c);
        r.Stress.Add(new StressResult { Lock = HostileLock, Scenario = HostileScenario, Outcomes = [new OutcomeCount { Outcome = "<u>o</u>", Count = 1 }] });
        r.Mutants.Add(new MutantResult { Mutant = HostileLock, Description = HostileMessage, Caught = false });
        return r;
    }

    [Test]
    public void Hostile_names_and_messages_are_escaped_in_html()
    {
        var html = HtmlReport.Render(Hostile());
        var doc = new HtmlParser().ParseDocument(html);

        Assert.That(doc.QuerySelectorAll("script"), Has.Length.EqualTo(1), "only the page's own script");
        Assert.That(doc.QuerySelectorAll("img"), Is.Empty);
        Assert.That(doc.QuerySelectorAll("[onerror], [onclick], [onload]"), Is.Empty);
        Assert.That(doc.QuerySelectorAll("i, u"), Is.Empty);
        Assert.That(doc.QuerySelectorAll("b").All(b => b.ParentElement!.ClassList.Contains("op")), "bold only where the page puts it");
        Assert.That(html, Does.Not.Contain("<script>alert"));

        // Round trip: the text a person reads is exactly what the results said.
        var cell = HtmlReportTests.Cell(doc, HostileLock, HostileScenario);
        Assert.That(cell.ClassList, Does.Contain("v-fail"));
        Assert.That(doc.QuerySelectorAll("th.lock").Select(t => t.TextContent), Does.Contain(HostileLock));
        Assert.That(doc.QuerySelectorAll("th.scn").Select(t => t.TextContent), Does.Contain(HostileScenario));
        var article = doc.QuerySelectorAll("article.failure").Single(a => a.GetAttribute("data-lock") == HostileLock);
        Assert.That(article.QuerySelector("pre.message")!.TextContent, Is.EqualTo(HostileMessage));
        Assert.That(article.QuerySelector("button[data-copy]")!.GetAttribute("data-copy"), Is.EqualTo(HostileToken));
        Assert.That(article.QuerySelector("th.thread")!.TextContent, Is.EqualTo("<i>reader</i>"));
        Assert.That(article.QuerySelector("tr.failing td.state")!.TextContent, Is.EqualTo("<svg onload=alert(3)>"));
        Assert.That(article.QuerySelector("pre.program")!.TextContent, Is.EqualTo("<!-- program -->"));
        Assert.That(doc.GetElementById("cmdline")!.TextContent, Is.EqualTo("rwharness check --lock '<b>x</b>'"));
    }

    [Test]
    public void Hostile_names_and_messages_survive_junit_xml()
    {
        var r = Hostile();
        r.Results[^1].Failure!.Message += "\u0001\u0000 control";
        var doc = XDocument.Parse(JUnitReport.Render(r));
        var tc = doc.Descendants("testcase").Single(t => (string?)t.Attribute("classname") == "rwharness.native." + HostileLock);
        Assert.That((string?)tc.Attribute("name"), Is.EqualTo(HostileScenario + " [dfs]"));
        Assert.That((string?)tc.Element("failure")!.Attribute("message"), Does.StartWith("invariant: " + HostileMessage));
        Assert.That(tc.Element("failure")!.Value, Does.Contain("rwharness replay " + HostileToken));
    }

    /// <summary>50 locks x 30 scenarios, two engines each, and one failure with a 5,000-step trace.</summary>
    internal static RunResults Large()
    {
        var r = Fixtures.Sample();
        r.Results.Clear();
        for (var l = 0; l < 50; l++)
        {
            for (var s = 0; s < 30; s++)
            {
                r.Results.Add(Fixtures.Pass($"lock-{l:00}-counter-negation", $"scenario-{s:00}-readers-and-writers"));
                r.Results.Add(Fixtures.Pass($"lock-{l:00}-counter-negation", $"scenario-{s:00}-readers-and-writers", "coyote", "pct"));
            }
        }
        var steps = new List<TraceStep>();
        for (var i = 0; i < 5_000; i++)
        {
            steps.Add(Fixtures.Step(i, i % 4, i % 3 == 0 ? "Add" : "Load", "readerCount", (i - 1).ToString(), i.ToString(),
                $"readerCount={i % 7} readerWait={i % 3} readerPass={i % 2} w=held holders=R{i % 4}"));
        }
        var big = r.Results[777];
        big.Verdict = Verdicts.Fail;
        big.Failure = new FailureInfo
        {
            Kind = FailureKinds.StepBound,
            Message = "ran past 5000 steps: writer starved",
            Replay = "v1:random:seed=99:" + string.Join(".", Enumerable.Range(0, 5000).Select(i => i % 4)),
            Threads = ["reader-0", "reader-1", "reader-2", "writer"],
            Steps = steps,
            FailingStep = 4_200,
            Trace = steps.Select(s => $"{s.Step,5} T{s.Thread}: {s.Op} {s.Location} {s.Before}->{s.After}").ToList(),
        };
        return r;
    }

    [Test]
    public void Large_run_stays_small_and_folds_the_long_trace()
    {
        var results = Large();
        var html = HtmlReport.Render(results);
        var bytes = Encoding.UTF8.GetByteCount(html);
        Assert.That(bytes, Is.LessThan(3_000_000), $"index.html is {bytes:N0} bytes");

        var doc = new HtmlParser().ParseDocument(html);
        Assert.That(doc.QuerySelectorAll("table.matrix td.cell"), Has.Length.EqualTo(50 * 30));
        var article = doc.QuerySelector("article.failure")!;
        Assert.That(article.QuerySelectorAll("tr.step"), Has.Length.EqualTo(5_000), "every step is in the page");
        var main = article.QuerySelectorAll("table.lanes.main tr.step");
        Assert.That(main, Has.Length.EqualTo((2 * HtmlReport.FoldWindow) + 1), "only the window around the failing step is open");
        Assert.That(main.Count(r => r.ClassList.Contains("failing")), Is.EqualTo(1));
        Assert.That(main[HtmlReport.FoldWindow].GetAttribute("data-step"), Is.EqualTo("4200"));
        var folds = article.QuerySelectorAll("details.fold");
        Assert.That(folds, Has.Length.EqualTo(2));
        Assert.That(folds.All(d => !d.HasAttribute("open")), "folded parts start collapsed");
        Assert.That(folds[0].QuerySelectorAll("tr.step"), Has.Length.EqualTo(4_200 - HtmlReport.FoldWindow));
        Assert.That(folds[1].QuerySelectorAll("tr.step"), Has.Length.EqualTo(5_000 - 4_201 - HtmlReport.FoldWindow));
    }

    [Test]
    public void Large_run_junit_has_every_case()
    {
        var doc = XDocument.Parse(JUnitReport.Render(Large()));
        Assert.That(doc.Descendants("testcase").Count(t => ((string?)t.Attribute("classname"))!.StartsWith("rwharness.native.", StringComparison.Ordinal)), Is.EqualTo(1500));
        Assert.That(doc.Descendants("testcase").Count(t => ((string?)t.Attribute("classname"))!.StartsWith("rwharness.coyote.", StringComparison.Ordinal)), Is.EqualTo(1500));
        Assert.That((int)doc.Root!.Attribute("failures")!, Is.EqualTo(1 + 1 + 1), "the step-bound case, the stress failure and the missed mutant");
    }
}
