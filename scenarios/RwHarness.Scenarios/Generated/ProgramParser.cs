namespace RwHarness.Scenarios.Generated;

/// <summary>Parses the printed form of a <see cref="GeneratedProgram"/>.</summary>
internal static class ProgramParser
{
    public static GeneratedProgram Parse(string text)
    {
        var threads = new List<ThreadProgram>();
        foreach (var part in text.Split('|'))
        {
            var body = part.Trim();
            var colon = body.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                body = body[(colon + 1)..];
            }
            var tokens = Tokenize(body);
            var pos = 0;
            var sections = new List<Section>();
            while (pos < tokens.Count)
            {
                sections.Add(ParseSection(tokens, ref pos, insideRead: false));
            }
            if (sections.Count == 0)
            {
                throw new FormatException($"thread {threads.Count} has no section");
            }
            threads.Add(new ThreadProgram(sections));
        }
        return new GeneratedProgram(threads);
    }

    private static List<string> Tokenize(string s) =>
        s.Replace("{", " { ", StringComparison.Ordinal).Replace("}", " } ", StringComparison.Ordinal).Replace(";", " ", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    private static Section ParseSection(List<string> tokens, ref int pos, bool insideRead)
    {
        var enter = tokens[pos++];
        var (write, tryEnter) = enter switch
        {
            "EnterRead" => (false, false),
            "EnterWrite" => (true, false),
            "TryEnterRead" => (false, true),
            "TryEnterWrite" => (true, true),
            _ => throw new FormatException($"expected an enter, found '{enter}'"),
        };
        if (write && insideRead)
        {
            throw new FormatException("a thread holding the read side cannot enter the write side");
        }
        if (tryEnter)
        {
            Expect(tokens, ref pos, "{");
        }
        var exit = write ? "ExitWrite" : "ExitRead";
        var body = new List<ProgramStep>();
        while (true)
        {
            if (pos >= tokens.Count)
            {
                throw new FormatException($"{enter} has no {exit}");
            }
            var t = tokens[pos];
            if (t == exit)
            {
                pos++;
                break;
            }
            if (t == "Read" || t == "Write")
            {
                pos++;
                body.Add(new Access(t == "Write"));
            }
            else if (t.Contains("Enter", StringComparison.Ordinal))
            {
                body.Add(ParseSection(tokens, ref pos, insideRead: !write));
            }
            else
            {
                throw new FormatException($"unexpected '{t}' inside {enter}");
            }
        }
        if (tryEnter)
        {
            Expect(tokens, ref pos, "}");
        }
        try
        {
            return new Section(write, tryEnter, body);
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    private static void Expect(List<string> tokens, ref int pos, string token)
    {
        if (pos >= tokens.Count || tokens[pos] != token)
        {
            throw new FormatException($"expected '{token}'");
        }
        pos++;
    }
}
