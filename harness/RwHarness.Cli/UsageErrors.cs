using System.Text.RegularExpressions;

namespace RwHarness.Cli;

/// <summary>Turns System.CommandLine's parse errors into one plain line.</summary>
internal static partial class UsageErrors
{
    public static string Describe(IEnumerable<string> messages)
    {
        var list = messages.ToList();
        // An unknown verb or option says more than "a command is required".
        var first = list.FirstOrDefault(m => m.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? list.FirstOrDefault() ?? "bad usage";
        var parse = CannotParse().Match(first);
        return parse.Success ? $"'{parse.Groups["value"].Value}' is not a valid value for {parse.Groups["option"].Value}" : first;
    }

    [GeneratedRegex("Cannot parse argument '(?<value>[^']*)' for option '(?<option>[^']*)'")]
    private static partial Regex CannotParse();
}
