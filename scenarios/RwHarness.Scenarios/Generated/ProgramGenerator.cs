using FsCheck;
using FsCheck.Fluent;

namespace RwHarness.Scenarios.Generated;

/// <summary>
/// FsCheck generator and shrinker for <see cref="GeneratedProgram"/>s. The generator builds programs
/// top-down (threads, then sections filling a per-thread operation budget, then bodies), so every program
/// is balanced. The shrinker only ever deletes structure or simplifies an enter, so every candidate is
/// well-formed too: drop a thread, drop a section, drop a body step, unnest a nested section (its body
/// moves into the outer one), turn a TryEnter into an Enter.
/// </summary>
public static class ProgramGenerator
{
    public static Arbitrary<GeneratedProgram> Arbitrary(ProgramShape shape) => Arb.From(Programs(shape), Shrink);

    public static Gen<GeneratedProgram> Programs(ProgramShape shape) =>
        from n in Gen.Choose(shape.MinThreads, shape.MaxThreads)
        from threads in Gen.ListOf(Thread(shape), n)
        select new GeneratedProgram(threads.ToList());

    public static Gen<ThreadProgram> Thread(ProgramShape shape) =>
        from budget in Gen.Choose(2, Math.Max(2, shape.MaxOperationsPerThread))
        from sections in Sections(shape, budget)
        select new ThreadProgram(sections);

    private static Gen<List<Section>> Sections(ProgramShape shape, int budget) =>
        from first in SectionOf(shape, budget, insideRead: false)
        from rest in budget - first.Operations >= 2
            ? Gen.Frequency((1, Gen.Constant(new List<Section>())), (3, Sections(shape, budget - first.Operations)))
            : Gen.Constant(new List<Section>())
        select (List<Section>)[first, .. rest];

    /// <summary>A section of at most <paramref name="budget"/> operations (at least 2).</summary>
    private static Gen<Section> SectionOf(ProgramShape shape, int budget, bool insideRead) =>
        from write in insideRead ? Gen.Constant(false) : Gen.Elements(false, true)
        from tryEnter in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from bodyBudget in Gen.Choose(0, Math.Min(budget - 2, 2))
        from body in Body(shape, write, bodyBudget, nested: insideRead)
        select new Section(write, tryEnter, body);

    private static Gen<List<ProgramStep>> Body(ProgramShape shape, bool write, int budget, bool nested)
    {
        if (budget <= 0)
        {
            return Gen.Constant(new List<ProgramStep>());
        }
        var steps = new List<(int, Gen<ProgramStep>)> { (3, Gen.Constant<ProgramStep>(new Access(false))) };
        if (write)
        {
            steps.Add((4, Gen.Constant<ProgramStep>(new Access(true))));
        }
        if (!write && !nested && shape.AllowNestedReads && budget >= 2)
        {
            steps.Add((2, SectionOf(shape, budget, insideRead: true).Select(s => (ProgramStep)s)));
        }
        return from step in Gen.Frequency(steps.ToArray())
               from rest in Body(shape, write, budget - step.Operations, nested)
               select (List<ProgramStep>)[step, .. rest];
    }

    /// <summary>Smaller well-formed programs, biggest cuts first.</summary>
    public static IEnumerable<GeneratedProgram> Shrink(GeneratedProgram p)
    {
        var threads = p.Threads;
        for (var t = 0; t < threads.Count && threads.Count > 1; t++)
        {
            yield return new GeneratedProgram([.. threads.Where((_, i) => i != t)]);
        }
        for (var t = 0; t < threads.Count; t++)
        {
            foreach (var smaller in ShrinkThread(threads[t]))
            {
                yield return new GeneratedProgram([.. threads.Select((x, i) => i == t ? smaller : x)]);
            }
        }
    }

    private static IEnumerable<ThreadProgram> ShrinkThread(ThreadProgram thread)
    {
        var sections = thread.Sections;
        for (var s = 0; s < sections.Count && sections.Count > 1; s++)
        {
            yield return new ThreadProgram([.. sections.Where((_, i) => i != s)]);
        }
        for (var s = 0; s < sections.Count; s++)
        {
            foreach (var smaller in ShrinkSection(sections[s]))
            {
                yield return new ThreadProgram([.. sections.Select((x, i) => i == s ? smaller : x)]);
            }
        }
    }

    private static IEnumerable<Section> ShrinkSection(Section section)
    {
        var body = section.Body;
        for (var i = 0; i < body.Count; i++)
        {
            yield return new Section(section.Write, section.TryEnter, [.. body.Where((_, j) => j != i)]);
        }
        for (var i = 0; i < body.Count; i++)
        {
            if (body[i] is Section inner)
            {
                // Unnest: the inner section's body runs directly in the outer one.
                yield return new Section(section.Write, section.TryEnter, [.. body.Take(i), .. inner.Body, .. body.Skip(i + 1)]);
                foreach (var smaller in ShrinkSection(inner))
                {
                    yield return new Section(section.Write, section.TryEnter, [.. body.Select((x, j) => j == i ? smaller : x)]);
                }
            }
        }
        if (section.TryEnter)
        {
            yield return new Section(section.Write, false, body);
        }
    }
}
