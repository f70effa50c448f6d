using RwHarness.Model;
using RwHarness.Results;
using RwHarness.Sync;

namespace RwHarness.Scenarios.Generated;

/// <summary>
/// Runs a <see cref="GeneratedProgram"/> as a scenario: each program thread is a virtual thread driving the
/// lock through a <see cref="LockProbe{TSync}"/>. Checked at every step: mutual exclusion (from the probe's
/// enter/exit counts, and the overlaps it counts as threads enter). Checked in the threads: within one section the cell does not change behind the
/// thread's back (a read section sees one value throughout; a write section sees its own writes). Checked
/// at the end: no update was lost.
/// </summary>
public sealed class GeneratedProgramScenario(GeneratedProgram program) : Scenario
{
    public GeneratedProgram Program { get; } = program;

    public override string Name => "generated";

    public override string Description => "generated program: " + Program;

    /// <summary>Holds, except that nested reads are only meaningful on a lock that supports recursion (see <see cref="ProgramShape"/>).</summary>
    public override Expectation Expect(LockDescriptor lockDescriptor) =>
        Program.HasNestedReads && !lockDescriptor.Has(LockTraits.SupportsRecursion)
            ? Expectation.NotApplicable("the program re-enters the read side, which this lock does not support recursively")
            : Expectation.Holds;

    public override ScenarioInstance Create<TSync>(LockDescriptor lockDescriptor)
    {
        var probe = new LockProbe<TSync>(lockDescriptor.Create<TSync>(), Program.Threads.Count);
        var threads = Program.Threads.Select((thread, t) => new ThreadSpec($"T{t}", () =>
        {
            foreach (var section in thread.Sections)
            {
                Run(probe, t, section, new SectionView());
            }
        })).ToArray();
        return new ScenarioInstance(threads)
        {
            Invariant = () => probe.Exclusion() ?? Overlap(probe),
            Final = probe.NoLostUpdate,
            DescribeState = probe.Describe,
            DescribeThread = probe.DescribeThread,
        };
    }

    /// <summary>Attaches the program's text to a failure (or witness) of this scenario, so reports show the program.</summary>
    public CaseResult Annotate(CaseResult result)
    {
        var text = Program.ToString();
        if (result.Failure is { } f)
        {
            f.Program = text;
        }
        if (result.Witness is { } w)
        {
            w.Program = text;
        }
        return result;
    }

    private static void Run<TSync>(LockProbe<TSync> p, int t, Section s, SectionView view)
        where TSync : struct, ISync
    {
        bool held;
        if (s.Write)
        {
            held = s.TryEnter ? p.TryEnterWrite(t) : Enter(() => p.EnterWrite(t));
        }
        else
        {
            held = s.TryEnter ? p.TryEnterRead(t) : Enter(() => p.EnterRead(t));
        }
        if (!held)
        {
            return;
        }
        foreach (var step in s.Body)
        {
            switch (step)
            {
                case Access { IsWrite: false }:
                    view.Saw(p.ReadData(), t, "read");
                    break;
                case Access:
                    // WriteData loads v and stores v + 1 with no scheduling point after the store, so v = Data - 1.
                    p.WriteData();
                    view.Saw(p.Data - 1, t, "write");
                    view.Wrote(p.Data);
                    break;
                case Section inner:
                    Run(p, t, inner, view);
                    break;
            }
        }
        if (s.Write)
        {
            p.ExitWrite(t);
        }
        else
        {
            p.ExitRead(t);
        }
    }

    /// <summary>
    /// A thread that entered while another held the lock incompatibly, even if it left again before the
    /// next scheduling point (an empty section): the probe counts such entries as they happen.
    /// </summary>
    private static string? Overlap<TSync>(LockProbe<TSync> p)
        where TSync : struct, ISync =>
        p.Overlaps > 0 ? "a thread entered the lock while another held it incompatibly" : null;

    private static bool Enter(Action enter)
    {
        enter();
        return true;
    }

    /// <summary>What one thread has seen of the cell since it entered its outermost section.</summary>
    private sealed class SectionView
    {
        private int? last;

        public void Saw(int value, int t, string what)
        {
            ScenarioAssert.That(last is null || last == value, $"T{t} found the cell at {value} on {what}, but it was {last} earlier in the same section: another thread wrote while T{t} held the lock");
            last = value;
        }

        public void Wrote(int value) => last = value;
    }
}
