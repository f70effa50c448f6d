using System.CommandLine;
using RwHarness.Reports;

namespace RwHarness.Cli.Commands;

/// <summary><c>rwharness report --results DIR</c>: rebuilds index.html, junit.xml and bench.html from the results there.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var results = new Option<string>("--results") { Description = "directory holding results.json and/or bench.json", Required = true };
        var command = new Command("report", "Rebuild the HTML and JUnit reports from a results directory.");
        command.Options.Add(results);
        command.SetAction(p => Guard.Captured("report", output => ReportCommands.Report(p.GetValue(results)!, output)));
        return command;
    }
}
