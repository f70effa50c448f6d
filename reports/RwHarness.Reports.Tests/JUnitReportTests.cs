using System.Globalization;
using System.Reflection;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using RwHarness.Results;

namespace RwHarness.Reports.Tests;

public class JUnitReportTests
{
    private RunResults _results = null!;
    private string _xml = null!;
    private XDocument _doc = null!;

    [OneTimeSetUp]
    public void Render()
    {
        _results = Fixtures.Sample();
        _xml = JUnitReport.Render(_results);
        _doc = XDocument.Parse(_xml);
    }

    [Test]
    public void Valid_against_the_junit_schema()
    {
        var schemas = new XmlSchemaSet();
        using (var xsd = Assembly.GetExecutingAssembly().GetManifestResourceStream("junit.xsd")!)
        {
            schemas.Add(null, XmlReader.Create(xsd));
        }
        var errors = new List<string>();
        _doc.Validate(schemas, (_, e) => errors.Add(e.Message));
        Assert.That(errors, Is.Empty);
        Assert.That(_xml, Does.StartWith("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    }

    [Test]
    public void One_suite_per_engine_plus_stress_and_mutants()
    {
        var names = _doc.Root!.Elements("testsuite").Select(s => (string?)s.Attribute("name")).ToList();
        Assert.That(names, Is.EqualTo(new[] { "rwharness.native", "rwharness.coyote", "rwharness.stress", "rwharness.mutants" }));
    }

    [Test]
    public void Counts_add_up()
    {
        var root = _doc.Root!;
        var cases = _results.Results.Count + _results.Stress.Count + _results.Mutants.Count;
        Assert.That((int)root.Attribute("tests")!, Is.EqualTo(cases));
        Assert.That(_doc.Descendants("testcase").Count(), Is.EqualTo(cases));
        Assert.That((int)root.Attribute("failures")!, Is.EqualTo(2 + 1 + 1), "invariant + deadlock, one stress failure, one missed mutant");
        Assert.That((int)root.Attribute("errors")!, Is.Zero);
        Assert.That((int)root.Attribute("skipped")!, Is.Zero);
        Assert.That(double.Parse((string)root.Attribute("time")!, CultureInfo.InvariantCulture), Is.EqualTo(93.5));
        foreach (var suite in root.Elements("testsuite"))
        {
            Assert.That((int)suite.Attribute("tests")!, Is.EqualTo(suite.Elements("testcase").Count()));
            Assert.That((int)suite.Attribute("failures")!, Is.EqualTo(suite.Elements("testcase").Count(t => t.Element("failure") is not null)));
            Assert.That(suite.Attribute("time"), Is.Not.Null);
            Assert.That(suite.Attribute("timestamp")!.Value, Is.EqualTo("2025-11-03T09:30:00"));
        }
        var native = root.Elements("testsuite").First();
        Assert.That((int)native.Attribute("tests")!, Is.EqualTo(_results.Results.Count(c => c.Engine == "native")));
        Assert.That((int)native.Attribute("failures")!, Is.EqualTo(2));
    }

    [Test]
    public void Case_names_are_lock_scenario_engine_strategy()
    {
        var tc = _doc.Descendants("testcase").Single(t => (string?)t.Attribute("classname") == "rwharness.native.counter-negation" && (string?)t.Attribute("name") == "writer-excludes [pct]");
        Assert.That((string?)tc.Attribute("time"), Is.EqualTo("1.250"));
        var failure = tc.Element("failure")!;
        Assert.That((string?)failure.Attribute("type"), Is.EqualTo("invariant"));
        Assert.That((string?)failure.Attribute("message"), Does.StartWith("invariant: mutual exclusion"));
        Assert.That(failure.Value, Does.Contain("rwharness replay " + Fixtures.InvariantToken));
        Assert.That(failure.Value, Does.Contain("7 writer: Enter critical-section (invariant violated)   <-- fails here"));
        Assert.That(failure.Value, Does.Contain("minimal program:\n" + Fixtures.Program));
        Assert.That(_doc.Descendants("testcase").Any(t => (string?)t.Attribute("classname") == "rwharness.coyote.counter-negation" && t.Element("failure") is null));
    }

    [Test]
    public void Deadlock_body_is_formatted_from_steps_when_no_text_trace()
    {
        var failure = _doc.Descendants("testcase").Single(t => (string?)t.Attribute("classname") == "rwharness.native.reader-queue" && (string?)t.Attribute("name") == "writer-excludes [dfs]").Element("failure")!;
        Assert.That((string?)failure.Attribute("type"), Is.EqualTo("deadlock"));
        var lines = failure.Value.Split('\n');
        Assert.That(lines, Has.Some.Contains("writer: Semacquire writerSem 0->0 (blocked)   | readers=0 queued=1 readerPass=0 writer=1"));
        Assert.That(lines.Count(l => l.Contains(" | ", StringComparison.Ordinal)), Is.EqualTo(Fixtures.Deadlock().Steps.Count));
    }

    [Test]
    public void Witness_passes_and_says_what_it_showed()
    {
        var tc = _doc.Descendants("testcase").Single(t => (string?)t.Attribute("classname") == "rwharness.native.rwls-norecursion" && (string?)t.Attribute("name") == "read-under-write [dfs]");
        Assert.That(tc.Element("failure"), Is.Null);
        Assert.That(tc.Element("system-out")!.Value, Does.Contain("expected outcome shown (deadlock)").And.Contain(Fixtures.WitnessToken));
    }

    [Test]
    public void Stress_and_mutants_are_testcases()
    {
        var stress = _doc.Root!.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "rwharness.stress").Elements("testcase").ToList();
        Assert.That(stress.Select(t => (string?)t.Attribute("classname")), Is.EqualTo(new[] { "rwharness.stress.counter-negation", "rwharness.stress.broken-no-readerwait" }));
        Assert.That((string?)stress[0].Attribute("name"), Is.EqualTo("readers-share [4 threads]"));
        Assert.That(stress[1].Element("failure")!.Value, Does.Contain("reader saw writer inside"));

        var mutants = _doc.Root!.Elements("testsuite").Single(s => (string?)s.Attribute("name") == "rwharness.mutants").Elements("testcase").ToList();
        Assert.That(mutants, Has.Count.EqualTo(3));
        Assert.That(mutants.Where(t => t.Element("failure") is not null).Select(t => (string?)t.Attribute("name")), Is.EqualTo(new[] { "lost-wakeup" }));
        Assert.That(mutants[0].Element("system-out")!.Value, Does.Contain("caught by writer-excludes [dfs] after 37 schedules"));
    }

    [Test]
    public void Empty_run_is_still_a_valid_document()
    {
        var doc = XDocument.Parse(JUnitReport.Render(new RunResults()));
        Assert.That(doc.Root!.Name.LocalName, Is.EqualTo("testsuites"));
        Assert.That((int)doc.Root.Attribute("tests")!, Is.Zero);
        Assert.That(doc.Root.Elements("testsuite").Count(), Is.EqualTo(1));
    }
}
