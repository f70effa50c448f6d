using System.Text;

namespace RwHarness.Scenarios.Generated;

/// <summary>
/// A generated concurrent program over one reader/writer lock and one shared cell. Well-formed by
/// construction: a thread is a sequence of <see cref="Section"/>s, and a section is an enter, a body and
/// the matching exit, so every enter has its exit in the same thread, nothing is exited that is not held,
/// and a thread never asks for the write side while holding the read side. After a failed TryEnter the
/// thread skips the section's body and exit.
/// </summary>
/// <remarks>
/// Printed one thread per column, e.g. <c>T0: EnterRead; Read; ExitRead | T1: TryEnterWrite { Write; ExitWrite }</c>;
/// <see cref="Parse"/> reads that form back, so a shrunk failing program can be pinned in a test.
/// An operation is one printed line (an enter, an access or an exit).
/// </remarks>
public sealed class GeneratedProgram
{
    public GeneratedProgram(IReadOnlyList<ThreadProgram> threads)
    {
        if (threads.Count == 0)
        {
            throw new ArgumentException("a program needs at least one thread", nameof(threads));
        }
        Threads = threads;
    }

    public IReadOnlyList<ThreadProgram> Threads { get; }

    /// <summary>Operations over all threads.</summary>
    public int Operations => Threads.Sum(t => t.Operations);

    /// <summary>Whether some thread re-enters the read side while holding it.</summary>
    public bool HasNestedReads => Threads.Any(t => t.Sections.Any(s => s.HasNested));

    public override string ToString() => string.Join(" | ", Threads.Select((t, i) => $"T{i}: {t}"));

    /// <summary>Reads the printed form back; throws <see cref="FormatException"/> when it is not a well-formed program.</summary>
    public static GeneratedProgram Parse(string text) => ProgramParser.Parse(text);
}

/// <summary>One thread: sections run in order.</summary>
public sealed class ThreadProgram(IReadOnlyList<Section> sections)
{
    public IReadOnlyList<Section> Sections { get; } = sections.Count > 0 ? sections : throw new ArgumentException("a thread needs at least one section", nameof(sections));

    public int Operations => Sections.Sum(s => s.Operations);

    public override string ToString() => string.Join("; ", Sections);
}

/// <summary>A step inside a held section.</summary>
public abstract class ProgramStep
{
    public abstract int Operations { get; }
}

/// <summary>A visible read (<c>Read</c>) or read-modify-write (<c>Write</c>) of the shared cell.</summary>
public sealed class Access(bool isWrite) : ProgramStep
{
    public bool IsWrite { get; } = isWrite;

    public override int Operations => 1;

    public override string ToString() => IsWrite ? "Write" : "Read";
}

/// <summary>Enter the read or write side (or try to), run the body, exit. A read section may nest read sections.</summary>
public sealed class Section : ProgramStep
{
    public Section(bool write, bool tryEnter, IReadOnlyList<ProgramStep> body)
    {
        foreach (var step in body)
        {
            if (step is Section inner && (write || inner.Write))
            {
                throw new ArgumentException("only read sections nest, and only inside read sections", nameof(body));
            }
            if (step is Access { IsWrite: true } && !write)
            {
                throw new ArgumentException("a read section cannot write the cell", nameof(body));
            }
        }
        Write = write;
        TryEnter = tryEnter;
        Body = body;
    }

    public bool Write { get; }

    public bool TryEnter { get; }

    public IReadOnlyList<ProgramStep> Body { get; }

    public override int Operations => 2 + Body.Sum(s => s.Operations);

    public bool HasNested => Body.Any(s => s is Section);

    public string EnterName => (TryEnter ? "TryEnter" : "Enter") + (Write ? "Write" : "Read");

    public string ExitName => Write ? "ExitWrite" : "ExitRead";

    public override string ToString()
    {
        var sb = new StringBuilder(EnterName);
        var inner = string.Join("; ", Body.Select(s => s.ToString()).Append(ExitName));
        return TryEnter ? sb.Append(" { ").Append(inner).Append(" }").ToString() : sb.Append("; ").Append(inner).ToString();
    }
}
