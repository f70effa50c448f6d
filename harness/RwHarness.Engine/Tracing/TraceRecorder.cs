using System.Globalization;
using RwHarness.Engine.Runtime;
using RwHarness.Results;

namespace RwHarness.Engine.Tracing;

/// <summary>
/// Records an execution operation by operation, with the lock's state after each one. Only failing or
/// replayed executions are traced; exploration runs without it.
/// </summary>
internal sealed class TraceRecorder(Func<string>? describeState)
{
    private int lastOperation = -1;
    private int operations;

    public List<TraceStep> Steps { get; } = [];

    /// <summary>
    /// Re-reads the state for the last operation's row. Called at every scheduling point, so a row shows the
    /// state once the thread's own code after the operation has run: the state other threads can observe.
    /// </summary>
    public void Settle()
    {
        if (lastOperation >= 0)
        {
            Steps[lastOperation].State = State();
        }
    }

    public void Operation(int step, int thread, OpKind op, string? location, long? before, long? after, string? note = null)
    {
        // Rows are numbered in the order the operations ran (1, 2, 3 ...).
        lastOperation = Steps.Count;
        Steps.Add(new TraceStep
        {
            Step = ++operations,
            Thread = thread,
            Op = op.ToString(),
            Location = Execution.Clean(location),
            Before = before?.ToString(CultureInfo.InvariantCulture),
            After = after?.ToString(CultureInfo.InvariantCulture),
            State = State(),
            Note = note,
        });
    }

    /// <summary>An annotation on the last step of <paramref name="thread"/> (blocked, woke someone, threw).</summary>
    public void Note(int step, int thread, string note)
    {
        Steps.Add(new TraceStep { Step = operations, Thread = thread, Op = "note", Note = note, State = null });
    }

    private string? State()
    {
        if (describeState is null)
        {
            return null;
        }
        try
        {
            return describeState();
        }
        catch (Exception e)
        {
            return $"<state unavailable: {e.GetType().Name}>";
        }
    }
}
