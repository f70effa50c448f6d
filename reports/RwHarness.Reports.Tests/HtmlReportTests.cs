using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using RwHarness.Results;

namespace RwHarness.Reports.Tests;

public class HtmlReportTests
{
    private RunResults _results = null!;
    private IHtmlDocument _doc = null!;

    [OneTimeSetUp]
    public void Render()
    {
        _results = Fixtures.Sample();
        _doc = new HtmlParser().ParseDocument(HtmlReport.Render(_results));
    }

    internal static IElement Cell(IDocument doc, string lockName, string scenario) =>
        doc.QuerySelectorAll("table.matrix td.cell").Single(td => td.GetAttribute("data-lock") == lockName && td.GetAttribute("data-scenario") == scenario);

    private IElement Evidence(string cls, string lockName, string scenario) =>
        _doc.QuerySelectorAll("article." + cls).Single(a => a.GetAttribute("data-lock") == lockName && a.GetAttribute("data-scenario") == scenario);

    [Test]
    public void Matrix_has_a_row_per_lock_and_a_column_per_scenario()
    {
        var rows = _doc.QuerySelectorAll("table.matrix tbody tr");
        Assert.That(rows.Select(r => r.QuerySelector("th.lock")!.TextContent), Is.EqualTo(Fixtures.Locks));
        Assert.That(_doc.QuerySelectorAll("table.matrix thead th.scn").Select(th => th.TextContent), Is.EqualTo(Fixtures.Scenarios));
        Assert.That(_doc.QuerySelectorAll("table.matrix td.cell"), Has.Length.EqualTo(Fixtures.Locks.Length * Fixtures.Scenarios.Length));
    }

    [TestCase("counter-negation", "readers-share", "v-pass")]
    [TestCase("counter-negation", "writer-excludes", "v-fail")]
    [TestCase("reader-queue", "writer-excludes", "v-fail")]
    [TestCase("rwls-norecursion", "read-under-write", "v-expected")]
    [TestCase("reader-queue", "read-under-write", "v-none")]
    public void Matrix_cells_are_coloured_by_verdict(string lockName, string scenario, string cls)
    {
        var cell = Cell(_doc, lockName, scenario);
        Assert.That(cell.ClassList, Does.Contain(cls));
        Assert.That(cell.ClassList.Count(c => c.StartsWith("v-", StringComparison.Ordinal)), Is.EqualTo(1));
    }

    [Test]
    public void Matrix_cell_shows_engine_strategy_counts_time_and_coverage()
    {
        var text = Cell(_doc, "counter-negation", "readers-share").TextContent;
        Assert.That(text, Does.Contain("native").And.Contain("dfs").And.Contain("complete"));
        Assert.That(text, Does.Contain("1.23k it").And.Contain("1.23k distinct").And.Contain("56.79k steps").And.Contain("1.3 s"));

        var mixed = Cell(_doc, "counter-negation", "writer-excludes");
        var cases = mixed.QuerySelectorAll(".case");
        Assert.That(cases, Has.Length.EqualTo(2), "one line per engine x strategy");
        Assert.That(cases[0].TextContent, Does.Contain("coyote").And.Contain("random"));
        Assert.That(cases[0].ClassList, Does.Contain("v-pass"));
        Assert.That(cases[1].TextContent, Does.Contain("native").And.Contain("pct").And.Contain("sampled").And.Contain("invariant"));
        Assert.That(cases[1].ClassList, Does.Contain("v-fail"));
        var href = cases[1].GetAttribute("href")!;
        Assert.That(href, Does.StartWith("#"));
        var target = _doc.GetElementById(href[1..])!;
        Assert.That(target.GetAttribute("data-lock"), Is.EqualTo("counter-negation"));
    }

    [Test]
    public void Rows_with_failures_are_marked_for_the_only_failing_filter()
    {
        var rows = _doc.QuerySelectorAll("table.matrix tbody tr");
        Assert.That(rows.Where(r => r.ClassList.Contains("has-fail")).Select(r => r.QuerySelector("th.lock")!.TextContent),
            Is.EqualTo(new[] { "counter-negation", "reader-queue" }));
        Assert.That(_doc.QuerySelector("button[data-only-failing]"), Is.Not.Null);
    }

    [Test]
    public void Header_names_command_machine_date_and_time()
    {
        Assert.That(_doc.GetElementById("cmdline")!.TextContent, Is.EqualTo(_results.Run.CommandLine));
        Assert.That(_doc.GetElementById("machine")!.TextContent, Does.Contain("2 cores").And.Contain("Debian").And.Contain(".NET 10"));
        Assert.That(_doc.GetElementById("date")!.TextContent, Does.Contain("2025-11-03 09:30"));
        Assert.That(_doc.GetElementById("elapsed")!.TextContent, Is.EqualTo("1m 33s"));
    }

    [Test]
    public void Invariant_failure_is_drawn_as_swimlanes_with_the_failing_step_highlighted()
    {
        var f = Fixtures.InvariantFailure();
        var article = Evidence("failure", "counter-negation", "writer-excludes");
        Assert.That(article.GetAttribute("data-kind"), Is.EqualTo("invariant"));

        var threads = article.QuerySelectorAll("th.thread").Select(t => t.TextContent).ToList();
        Assert.That(threads, Is.EqualTo(f.Threads));

        var rows = article.QuerySelectorAll("tr.step");
        Assert.That(rows, Has.Length.EqualTo(f.Steps.Count));
        for (var i = 0; i < rows.Length; i++)
        {
            var cells = rows[i].QuerySelectorAll("td");
            Assert.That(cells, Has.Length.EqualTo(1 + f.Threads.Count + 1), "step, one lane per thread, state");
            var lane = cells.Skip(1).Take(f.Threads.Count).ToList();
            var thread = f.Steps[i].Thread;
            Assert.That(lane[thread].TextContent, Does.Contain(f.Steps[i].Op), $"step {i} in lane {thread}");
            Assert.That(lane.Where((_, t) => t != thread).All(c => c.TextContent.Length == 0), $"other lanes empty at step {i}");
            Assert.That(cells[^1].TextContent, Is.EqualTo(f.Steps[i].State));
        }

        var failing = article.QuerySelectorAll("tr.step.failing");
        Assert.That(failing, Has.Length.EqualTo(1));
        Assert.That(failing[0].GetAttribute("data-step"), Is.EqualTo("7"));
        Assert.That(failing[0].TextContent, Does.Contain("fails here").And.Contain("holders=R0,W"));
        Assert.That(rows.ToList().IndexOf(failing[0]), Is.EqualTo(f.FailingStep));

        Assert.That(article.QuerySelector("pre.message")!.TextContent, Is.EqualTo(f.Message));
        Assert.That(article.QuerySelector("pre.program")!.TextContent, Is.EqualTo(Fixtures.Program));
    }

    [Test]
    public void Replay_token_is_shown_with_a_copy_button()
    {
        var article = Evidence("failure", "counter-negation", "writer-excludes");
        Assert.That(article.QuerySelector("code.token")!.TextContent, Is.EqualTo(Fixtures.InvariantToken));
        Assert.That(article.QuerySelector("button[data-copy]")!.GetAttribute("data-copy"), Is.EqualTo(Fixtures.InvariantToken));

        var deadlock = Evidence("failure", "reader-queue", "writer-excludes");
        Assert.That(deadlock.QuerySelector("button[data-copy]")!.GetAttribute("data-copy"), Is.EqualTo(Fixtures.DeadlockToken));
    }

    [Test]
    public void Deadlock_shows_every_step_and_where_the_execution_ends()
    {
        var f = Fixtures.Deadlock();
        var article = Evidence("failure", "reader-queue", "writer-excludes");
        Assert.That(article.GetAttribute("data-kind"), Is.EqualTo("deadlock"));
        Assert.That(article.QuerySelectorAll("th.thread").Select(t => t.TextContent), Is.EqualTo(f.Threads));
        Assert.That(article.QuerySelectorAll("tr.step"), Has.Length.EqualTo(f.Steps.Count));
        Assert.That(article.QuerySelectorAll("tr.step.failing"), Is.Empty);
        Assert.That(article.QuerySelector(".end")!.TextContent, Does.Contain("blocked"));
        Assert.That(article.QuerySelector("pre.message")!.TextContent, Does.Contain("writer waits on writerSem"));
        Assert.That(article.QuerySelectorAll("tr.step")[3].TextContent, Does.Contain("blocked"));
    }

    [Test]
    public void Witnesses_are_shown_like_failures_but_styled_as_expected()
    {
        Assert.That(_doc.QuerySelectorAll("#failures article.failure"), Has.Length.EqualTo(2));
        var witnesses = _doc.QuerySelectorAll("#witnesses article.witness");
        Assert.That(witnesses, Has.Length.EqualTo(Fixtures.Locks.Length - 1));
        var w = Evidence("witness", "rwls-norecursion", "read-under-write");
        Assert.That(w.QuerySelector(".kind-badge")!.TextContent, Is.EqualTo("expected deadlock"));
        Assert.That(w.QuerySelectorAll("tr.step"), Has.Length.EqualTo(2));
        Assert.That(w.QuerySelectorAll("tr.step.failing"), Has.Length.EqualTo(1));
        Assert.That(w.QuerySelector("code.token")!.TextContent, Is.EqualTo(Fixtures.WitnessToken));
    }

    [Test]
    public void Stress_results_are_graded_histograms()
    {
        var cards = _doc.QuerySelectorAll("#stress article.stress");
        Assert.That(cards, Has.Length.EqualTo(2));
        Assert.That(cards[0].ClassList, Does.Contain("v-pass"));
        Assert.That(cards[1].ClassList, Does.Contain("v-fail"));
        var rows = cards[0].QuerySelectorAll("table.hist tbody tr");
        Assert.That(rows.Select(r => r.ClassList.First(c => c.StartsWith("g-", StringComparison.Ordinal))),
            Is.EqualTo(new[] { "g-acceptable", "g-acceptable", "g-interesting", "g-forbidden" }));
        Assert.That(rows[3].ClassList, Does.Contain("unseen"));
        Assert.That(cards[1].QuerySelectorAll("tr.g-forbidden.seen"), Has.Length.EqualTo(1));
        Assert.That(rows[0].QuerySelector("svg.bar rect"), Is.Not.Null);
    }

    [Test]
    public void Mutation_results_show_the_score_and_who_caught_each_mutant()
    {
        Assert.That(_doc.QuerySelector("#mutants p.score")!.TextContent, Is.EqualTo("caught 2 of 3 mutants"));
        var caught = _doc.QuerySelectorAll("table.mutants tr.caught");
        Assert.That(caught, Has.Length.EqualTo(2));
        Assert.That(caught[0].TextContent, Does.Contain("no-readerwait").And.Contain("writer-excludes").And.Contain("dfs").And.Contain("37"));
        var missed = _doc.QuerySelectorAll("table.mutants tr.missed");
        Assert.That(missed, Has.Length.EqualTo(1));
        Assert.That(missed[0].TextContent, Does.Contain("lost-wakeup").And.Contain("MISSED"));
        Assert.That(_doc.QuerySelectorAll("table.mutants tr.detail tr.step"), Has.Length.EqualTo(Fixtures.InvariantFailure().Steps.Count));
    }

    [Test]
    public void Page_is_self_contained()
    {
        Assert.That(_doc.QuerySelectorAll("[src]"), Is.Empty);
        Assert.That(_doc.QuerySelectorAll("link"), Is.Empty);
        Assert.That(_doc.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")), Has.All.StartWith("#"));
        var scripts = _doc.QuerySelectorAll("script");
        Assert.That(scripts, Has.Length.EqualTo(1));
        Assert.That(scripts[0].TextContent, Does.Not.Contain("http").And.Not.Contain("import"));
        var css = string.Concat(_doc.QuerySelectorAll("style").Select(s => s.TextContent));
        Assert.That(css, Does.Not.Contain("url(").And.Not.Contain("@import"));
        Assert.That(_doc.CharacterSet, Is.EqualTo("UTF-8").IgnoreCase);
    }

    [Test]
    public void Empty_run_renders_without_sections_breaking()
    {
        var doc = new HtmlParser().ParseDocument(HtmlReport.Render(new RunResults()));
        Assert.That(doc.QuerySelectorAll("table.matrix"), Is.Empty);
        Assert.That(doc.QuerySelectorAll("p.empty"), Has.Length.GreaterThanOrEqualTo(4));
    }

    [Test]
    public void Failure_without_structured_steps_falls_back_to_the_text_trace()
    {
        var r = new RunResults();
        var c = Fixtures.Pass("x", "y");
        c.Verdict = Verdicts.Fail;
        c.Failure = new FailureInfo { Kind = FailureKinds.StepBound, Message = "ran past 10000 steps", Trace = ["0 T0: Load a", "1 T1: Store a"], FailingStep = 1 };
        r.Results.Add(c);
        var doc = new HtmlParser().ParseDocument(HtmlReport.Render(r));
        var pre = doc.QuerySelector("article.failure pre.trace")!;
        Assert.That(pre.TextContent, Does.Contain("0 T0: Load a").And.Contain("1 T1: Store a"));
        Assert.That(pre.QuerySelector("mark.failing")!.TextContent, Is.EqualTo("1 T1: Store a"));
    }
}
