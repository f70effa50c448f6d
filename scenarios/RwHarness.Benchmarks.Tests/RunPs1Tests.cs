using System.Text.RegularExpressions;
using NUnit.Framework;

namespace RwHarness.Benchmarks.Tests;

/// <summary>
/// run.ps1 cannot be run here (no PowerShell), so it is checked as text: every verb it offers has a branch,
/// and every branch is a `dotnet` command or a verb the CLI registers in harness/RwHarness.Cli/Program.cs.
/// </summary>
public sealed partial class RunPs1Tests
{
    private static readonly string[] Verbs = ["test", "check", "stress", "bench", "report", "gate", "all"];

    private static string Root
    {
        get
        {
            for (var d = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); d is not null; d = d.Parent)
            {
                if (File.Exists(Path.Combine(d.FullName, "RwHarness.sln")))
                {
                    return d.FullName;
                }
            }
            throw new InvalidOperationException("RwHarness.sln not found above the test directory");
        }
    }

    private static string Script => File.ReadAllText(Path.Combine(Root, "run.ps1"));

    /// <summary>The verbs Program.cs registers: for each XCommand.Create() there, the name in `new Command("name"` of that class's file.</summary>
    internal static HashSet<string> CliVerbs()
    {
        var cli = Path.Combine(Root, "harness", "RwHarness.Cli");
        var program = File.ReadAllText(Path.Combine(cli, "Program.cs"));
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in CreateCall().Matches(program))
        {
            var file = Directory.EnumerateFiles(cli, m.Groups[1].Value + ".cs", SearchOption.AllDirectories).FirstOrDefault();
            Assert.That(file, Is.Not.Null, $"Program.cs registers {m.Groups[1].Value}, but no {m.Groups[1].Value}.cs exists");
            foreach (Match c in CommandName().Matches(File.ReadAllText(file!)))
            {
                verbs.Add(c.Groups[1].Value);
            }
        }
        return verbs;
    }

    /// <summary>The text of the switch branch for <paramref name="verb"/>: from its `'verb' {` line to the next branch head.</summary>
    private static string Branch(string verb)
    {
        var s = Script;
        var heads = BranchHead().Matches(s).ToList();
        var i = heads.FindIndex(m => m.Groups[1].Value == verb);
        Assert.That(i, Is.GreaterThanOrEqualTo(0), $"run.ps1 has no branch for '{verb}'");
        var end = i + 1 < heads.Count ? heads[i + 1].Index : s.Length;
        return s[heads[i].Index..end];
    }

    [Test]
    public void The_script_offers_exactly_the_documented_verbs_with_quick_and_report()
    {
        var set = ValidateSet().Match(Script);
        Assert.That(set.Success, Is.True, "run.ps1 declares its verbs with [ValidateSet(...)]");
        var offered = QuotedWord().Matches(set.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
        Assert.That(offered, Is.EquivalentTo(Verbs));
        Assert.That(Script, Does.Contain("[switch]$Quick").And.Contain("[string]$Report"));
        Assert.That(Script, Does.Contain("exit $LASTEXITCODE"), "a failing step's exit code is passed on");
    }

    [TestCaseSource(nameof(Verbs))]
    public void Every_branch_is_a_dotnet_command_or_a_registered_cli_verb(string verb)
    {
        var branch = Branch(verb);
        var cliVerbs = CliVerbs();
        var calls = 0;
        foreach (Match m in CliCall().Matches(branch))
        {
            calls++;
            Assert.That(cliVerbs, Does.Contain(m.Groups[1].Value), $"run.ps1 {verb} calls `rwharness {m.Groups[1].Value}`, which Program.cs does not register ({string.Join(", ", cliVerbs.Order())})");
        }
        foreach (Match m in DotnetCall().Matches(branch))
        {
            calls++;
            Assert.That(new[] { "test", "build" }, Does.Contain(m.Groups[1].Value), $"run.ps1 {verb} runs `dotnet {m.Groups[1].Value}`");
        }
        calls += BenchCall().Matches(branch).Count;
        Assert.That(calls, Is.GreaterThan(0), $"run.ps1 {verb} runs nothing");
    }

    [Test]
    public void Helpers_call_the_release_cli_and_bench_verb()
    {
        Assert.That(Script, Does.Contain("@('run', '--project', 'harness/RwHarness.Cli', '-c', 'Release', '--')"));
        Assert.That(Script, Does.Contain("@('bench', '--report', $Report)"));
        Assert.That(CliVerbs(), Does.Contain("bench"));
    }

    [Test]
    public void All_runs_test_check_mutants_quick_bench_and_gate_in_that_order()
    {
        var branch = Branch("all");
        var order = new[] { "@('test'", "@('check'", "@('mutants'", "Bench $true", "@('gate'" }.Select(k => branch.IndexOf(k, StringComparison.Ordinal)).ToList();
        Assert.That(order, Has.All.GreaterThan(0));
        Assert.That(order, Is.Ordered);
    }

    [GeneratedRegex(@"(?m)^\s*'([a-z]+)'\s*\{")]
    private static partial Regex BranchHead();

    [GeneratedRegex(@"(\w+Command)\.Create\(\)")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"new Command\(""([a-z][a-z-]*)""")]
    private static partial Regex CommandName();

    [GeneratedRegex(@"ValidateSet\(([^)]*)\)")]
    private static partial Regex ValidateSet();

    [GeneratedRegex(@"'([a-z-]+)'")]
    private static partial Regex QuotedWord();

    [GeneratedRegex(@"\bCli @\('([a-z-]+)'")]
    private static partial Regex CliCall();

    [GeneratedRegex(@"\bDotnet @\('([a-z-]+)'")]
    private static partial Regex DotnetCall();

    [GeneratedRegex(@"\bBench \$")]
    private static partial Regex BenchCall();
}
